import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, looksLikeModel } from '../rule-helpers';
import { modelBuildState } from '../helpers/model-build-state';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || ctx.resolve(parts.fn) !== 'tensorflow.saved_model.save') {
    return;
  }
  const model = parts.positional[0] ?? parts.keywords.get('obj')?.value ?? null;
  if (!model || !looksLikeModel(model, ctx)) {
    return; // a tf.Module or a tf.function holder: TensorFlow's own objects, on any backend
  }
  const path = parts.positional[1] ?? parts.keywords.get('export_dir')?.value ?? null;
  const plain = path !== null && parts.positional.length + parts.keywords.size === 2 && (model.type === 'identifier' || model.type === 'attribute');
  // `export()` raises on a model never built ("The model provided has not yet been built"), where
  // `tf.saved_model.save()` wrote it on TensorFlow (the distributed save-and-load tutorial's subclassed model).
  const built = modelBuildState(model, node, ctx) !== 'unbuilt';
  ctx.report(
    node,
    `\`tf.saved_model.save()\` takes a TensorFlow \`Trackable\`, and a Keras 3 model is one only on the TensorFlow backend: on JAX and PyTorch it raises "Expected an object of type \`Trackable\`". Write the SavedModel with \`${ctx.textOf(model)}.export(path)\`.` +
      (plain && !built ? ` No automatic fix: \`${ctx.textOf(model)}\` is not built here (never called on data), and \`export()\` raises on a model not built; call it on a batch first, or save it with \`save("name.keras")\`.` : ''),
    plain && built
      ? {
          title: 'Use `model.export(path)`',
          // The SavedModel holds the `serve` endpoint rather than the traced model object: code that
          // loads it with tf.saved_model.load() and calls other attributes can change.
          safe: false,
          edits: [{ start: node.start, end: node.end, text: `${ctx.textOf(model)}.export(${ctx.textOf(path!)})` }]
        }
      : null
  );
}

/**
 * Checked by running Keras 3.15 with TensorFlow 2.21, JAX 0.10 and PyTorch 2.13: the save runs on
 * TensorFlow and raises "Expected an object of type `Trackable`" on JAX and PyTorch;
 * `model.export(path)` then runs on TensorFlow and JAX (PyTorch's export is its own finding).
 */
export const tfSavedModelSave: RuleDefinition = {
  code: 'KM210',
  name: 'tf-saved-model-save',
  slug: 'savedmodel-save',
  severity: 'error',
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes: 'Flags `tf.saved_model.save(model, path)` where `model` is a Keras model.',
    why:
      'TensorFlow\'s SavedModel writer takes a TensorFlow `Trackable`. A Keras 3 layer is one only on the TensorFlow backend, so on JAX and PyTorch the call raises "Expected an object of type `Trackable`". Keras 3 writes a SavedModel for serving with `model.export(path)` (guide section "Saving a model in the TF SavedModel format"). The rewrite is a suggestion: the exported SavedModel serves through its `serve` endpoint rather than the traced model object.',
    example: 'import tensorflow as tf\ntf.saved_model.save(model, "saved_model/my_model")',
    useInstead: 'model.export("saved_model/my_model")'
  },
  calls: { resolved: ['tensorflow.saved_model.save'] },
  visitors: { call: visit }
};
