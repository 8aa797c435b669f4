/**
 * removed-keras-name (KM287)
 *
 * What it does: flags a Keras 2 name that Keras 3 removed from both its `keras` package and
 * TensorFlow's `tf.keras` (`keras.models.model_from_yaml`, `keras.utils.OrderedEnqueuer`,
 * `keras.utils.SidecarEvaluator`, `keras.applications.RegNetX002`), written as an attribute chain or
 * imported by name. The names come from the catalog (tf_keras_only.json `removed_in_keras3`, computed
 * from the installed tf_keras and Keras); names other rules own (removed layers, modules, backend
 * functions) are theirs.
 *
 * Why: the name raises AttributeError or ImportError on every backend, and rewriting its `tf.keras`
 * prefix (KM012) would leave a name that does not exist either (TensorFlow's evaluator migration guide:
 * `keras.utils.SidecarEvaluator`).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { REMOVED_IN_KERAS3 } from '../catalog';
import { kerasSpelling, movedModuleOf, REMOVED_LAYERS } from '../knowledge';

/** What to use instead, where Keras 3 has a counterpart. */
const ADVICE: Readonly<Record<string, string>> = {
  'keras.models.model_from_yaml': 'Keras 3 reads no YAML: save the architecture with `model.to_json()` and read it with `keras.models.model_from_json`, or save a `.keras` file',
  'keras.utils.OrderedEnqueuer': 'feed a `keras.utils.PyDataset` (its `workers` and `use_multiprocessing` run the batches in parallel) or a `tf.data` pipeline',
  'keras.utils.GeneratorEnqueuer': 'feed a `keras.utils.PyDataset` or a `tf.data` pipeline',
  'keras.utils.SequenceEnqueuer': 'feed a `keras.utils.PyDataset` or a `tf.data` pipeline',
  'keras.utils.SidecarEvaluator': 'evaluate in a loop of your own: `model.load_weights()` of the newest `.weights.h5` file, then `model.evaluate()`',
  'keras.callbacks.BaseLogger': 'Keras 3 averages the metrics itself (the `logs` every callback gets)'
};

/** The shortest removed name the Keras spelling starts with (`keras.utils.experimental` of `keras.utils.experimental.DatasetCreator`), or null. */
function removedPrefix(name: string): string | null {
  const parts = name.split('.');
  for (let i = 2; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('.');
    if (REMOVED_IN_KERAS3.has(prefix)) {
      return prefix;
    }
  }
  return null;
}

/** Whether another rule reports the name: a removed layer (KM122), a removed or moved module (KM165), a backend function (KM132). */
function ownedElsewhere(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(REMOVED_LAYERS, name) || movedModuleOf(name) !== undefined || name.startsWith('keras.backend.');
}

function message(name: string): string {
  const advice = ADVICE[name];
  return `\`${name}\` does not exist in Keras 3 (neither \`keras\` nor TensorFlow's \`tf.keras\` has it): it raises AttributeError or ImportError on every backend${advice ? `; ${advice}` : ''}.`;
}

function visitAttribute(node: SyntaxNode, ctx: RuleContext): void {
  const name = kerasSpelling(ctx.resolve(node));
  // Reported once, at the removed name itself (not at its prefixes, nor at the names under it).
  if (!name || !REMOVED_IN_KERAS3.has(name) || removedPrefix(name) !== name) {
    return;
  }
  // The whole chain may be another rule's (`tf.keras.layers.experimental.preprocessing.Rescaling`: KM165).
  let outer = node;
  while (outer.parent?.type === 'attribute' && outer.field === 'object') {
    outer = outer.parent;
  }
  if (ownedElsewhere(kerasSpelling(ctx.resolve(outer)) ?? name)) {
    return;
  }
  ctx.report(node, message(name), null);
}

/** `from tensorflow.keras.models import model_from_yaml` (at the imported name), `from tensorflow.keras.utils.experimental import X` (at the module). */
function visitImport(node: SyntaxNode, ctx: RuleContext): void {
  const moduleNode = child(node, 'module_name');
  const module = kerasSpelling(moduleNode ? ctx.textOf(moduleNode).replace(/\s+/g, '').replace(/^tensorflow\.python\./, 'tensorflow.') : null);
  if (!module || !moduleNode) {
    return;
  }
  const names = node.children
    .filter(c => c.field === 'name')
    .map(imported => ({ imported, dotted: imported.type === 'aliased_import' ? child(imported, 'name') : imported }))
    .map(({ imported, dotted }) => ({ imported, name: dotted ? `${module}.${ctx.textOf(dotted)}` : module }));
  const removedModule = removedPrefix(module);
  if (removedModule !== null) {
    if (!ownedElsewhere(module) && !names.some(n => ownedElsewhere(n.name))) {
      ctx.report(moduleNode, message(removedModule), null);
    }
    return;
  }
  for (const { imported, name } of names) {
    if (REMOVED_IN_KERAS3.has(name) && !ownedElsewhere(name)) {
      ctx.report(imported, message(name), null);
    }
  }
}

export const removedKerasName: RuleDefinition = {
  code: 'KM287',
  name: 'removed-keras-name',
  slug: 'removed-features',
  severity: 'error',
  /** AttributeError / ImportError on every backend (Keras 3.15; python_kernel_hooks/tests/test_tf_keras_only_catalog.py checks each name, claims/removed_keras_name.py). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'never',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a Keras 2 name that neither Keras 3\'s `keras` nor TensorFlow\'s `tf.keras` has (`keras.models.model_from_yaml`, `keras.utils.OrderedEnqueuer`, `keras.utils.SidecarEvaluator`, `keras.applications.RegNetX002`, `keras.metrics.MeanTensor`, ...), written as an attribute chain (`tf.keras.X`, `keras.X`) or imported by name. The list is computed from the installed tf_keras and Keras (tf_keras_only.json `removed_in_keras3`); removed layers, modules and backend functions are KM122\'s, KM165\'s and KM132\'s.',
    why:
      'The name raises AttributeError or ImportError on every backend, and rewriting its `tf.keras` prefix to `keras` leaves a name that does not exist either (TensorFlow\'s evaluator migration guide: `tf.keras.utils.SidecarEvaluator`). Where Keras 3 has a counterpart the message names it (`model_from_json` for YAML, `keras.utils.PyDataset` for the enqueuers); no automatic fix.',
    example: 'import tensorflow as tf\nmodel = tf.keras.models.model_from_yaml(open("model.yaml").read())',
    useInstead: 'import keras\nmodel = keras.models.model_from_json(open("model.json").read())'
  },
  requires: [...new Set([...REMOVED_IN_KERAS3].map(name => name.split('.').pop()!))],
  attributes: { resolved: ['keras', 'tensorflow.'] },
  visitors: { attribute: visitAttribute, import_from_statement: visitImport }
};
