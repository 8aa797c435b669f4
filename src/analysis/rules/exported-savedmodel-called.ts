/**
 * exported-savedmodel-called (KM276)
 *
 * What it does: flags a call of what `tf.saved_model.load(path)` returned (`reloaded(x)`), where
 * the program writes that folder with a Keras model's `export(path)`, or with `save(path)` to a
 * folder, which Keras 3 cannot write and the SavedModel fix turns into `export(path)`.
 *
 * Why: Keras 2's `model.save(dir)` wrote the model itself as the SavedModel's root object, which
 * `tf.saved_model.load` gives back callable. Keras 3's `export()` writes an inference artifact
 * whose root has a `serve` endpoint and no `__call__`: calling it raises "'_UserObject' object is
 * not callable" (keras.io serialization guide, checked on Keras 3.15 with TensorFlow and JAX;
 * PyTorch cannot export).
 *
 * Example:
 *   model.export("my_model")
 *   reloaded = tf.saved_model.load("my_model")
 *   predicted = reloaded(x)
 *
 * Use instead:
 *   model.export("my_model")
 *   reloaded = tf.saved_model.load("my_model")
 *   predicted = reloaded.serve(x)
 *
 * Fix (safe): calls the `serve` endpoint; the plain call never runs on an exported folder.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue } from '../helpers/calls';
import { pathValue } from '../helpers/paths';
import { tfApiName } from '../rule-helpers';

/** Noted for a folder a Keras model is exported to (or saved to, to be exported). */
const EXPORTED = 'exported-savedmodel:';

/** A folder, not a file Keras 3 writes (`.keras`, `.h5`, `.weights.h5`). */
function isFolder(path: string): boolean {
  return path !== '' && !/\.(keras|h5|hdf5|weights\.h5)$/i.test(path);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const fn = parts.fn;
  // The writer: `model.export(dir)` or `model.save(dir)` on a Keras model or layer.
  if (fn.type === 'attribute') {
    const method = ctx.textOf(child(fn, 'attribute') ?? fn);
    const receiver = child(fn, 'object');
    if ((method === 'export' || method === 'save') && receiver && ctx.isLayerInstance(receiver)) {
      const path = pathValue(parts.positional[0] ?? parts.keywords.get('filepath')?.value, ctx);
      if (path !== null && isFolder(path)) {
        ctx.note(EXPORTED + path);
      }
    }
    return;
  }
  // The reader: `reloaded(x)` with `reloaded = tf.saved_model.load(dir)`.
  if (fn.type !== 'identifier') {
    return;
  }
  const loaded = lastAssignedValue(ctx.textOf(fn), fn, ctx);
  const loader = loaded?.type === 'call' ? callParts(loaded, ctx) : null;
  if (!loader || tfApiName(ctx.resolve(loader.fn)) !== 'tf.saved_model.load') {
    return;
  }
  const path = pathValue(loader.positional[0] ?? loader.keywords.get('export_dir')?.value, ctx);
  if (path === null) {
    return;
  }
  ctx.report(
    fn,
    `\`${ctx.textOf(fn)}\` is what \`tf.saved_model.load(${JSON.stringify(path)})\` returns for a folder the program writes with a Keras model's \`export()\` (Keras 3's only SavedModel writer): its root object has a \`serve\` endpoint and no \`__call__\` ("'_UserObject' object is not callable"), unlike the model Keras 2's \`save()\` wrote there. Call \`${ctx.textOf(fn)}.serve(...)\`.`,
    { title: `Call \`${ctx.textOf(fn)}.serve(...)\``, safe: true, edits: [{ start: fn.end, end: fn.end, text: '.serve' }] },
    undefined,
    `anywhere:${EXPORTED}${path}`
  );
}

export const exportedSavedmodelCalled: RuleDefinition = {
  code: 'KM276',
  name: 'exported-savedmodel-called',
  slug: 'savedmodel-save',
  severity: 'error',
  /**
   * Checked by running Keras 3.15 (keras.io serialization guide, helper oe41c): the call raises on
   * TensorFlow and JAX after `export()`; PyTorch cannot export (KM211), so the call is not reached.
   */
  blocks: ['tensorflow', 'jax'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a call of what `tf.saved_model.load(path)` returned (`reloaded(x)`, the name assigned from the load), when a cell writes that folder (the same literal path, or a name holding it) with a Keras model\'s `export(path)`, or with `save(path)` to a folder, which the SavedModel fix turns into `export(path)`. The fix calls `reloaded.serve(x)`.',
    why:
      'Keras 2\'s `model.save(dir)` wrote the model itself as the SavedModel\'s root, which `tf.saved_model.load` gives back callable. Keras 3 writes SavedModels only with `export()`, an inference artifact whose root has a `serve` endpoint and no `__call__`: calling it raises "\'_UserObject\' object is not callable" (checked on Keras 3.15 with TensorFlow and JAX; PyTorch cannot export). The plain call never runs on an exported folder, so the fix is safe.',
    example:
      'import keras\nimport numpy as np\nimport tensorflow as tf\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nmodel.export("my_model")\nreloaded = tf.saved_model.load("my_model")\npredicted = reloaded(np.ones((2, 4), "float32"))',
    useInstead:
      'import keras\nimport numpy as np\nimport tensorflow as tf\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nmodel.export("my_model")\nreloaded = tf.saved_model.load("my_model")\npredicted = reloaded.serve(np.ones((2, 4), "float32"))'
  },
  // Findings are on calls of a name assigned `tf.saved_model.load(...)`.
  requires: ['saved_model'],
  visitors: { call: visit }
};
