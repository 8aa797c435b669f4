import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, looksLikeModel, stringValue } from '../rule-helpers';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'export' || ctx.resolve(parts.fn)) {
    return; // module functions (`torch.export`, `jax.export`) are not Model.export
  }
  if (!looksLikeModel(child(parts.fn, 'object'), ctx) || parts.positional.length > 2) {
    return;
  }
  const format = stringValue(parts.keywords.get('format')?.value ?? parts.positional[1], ctx);
  if (format !== null && format !== 'tf_saved_model') {
    return; // ONNX and other formats take their own path
  }
  ctx.report(
    node,
    '`model.export()` writes a TensorFlow SavedModel by tracing the model; on the PyTorch backend this fails (Keras 3.15 with PyTorch 2.13 raises "Detected mismatch between the structure of `inputs` and `dynamic_shapes`"). Export from a TensorFlow or JAX session, or save a `.keras` file.'
  );
}

/**
 * Checked by running Keras 3.15.1 with TensorFlow 2.21, JAX 0.10 and PyTorch 2.13: `export()` of
 * a Sequential and of a Functional model runs on TensorFlow and JAX and raises on PyTorch.
 */
export const exportOnTorch: RuleDefinition = {
  code: 'KM211',
  name: 'export-on-torch',
  slug: 'savedmodel-save',
  severity: 'error',
  blocks: ['torch'],
  fixAvailability: 'never',
  triggers: ['export'],
  docs: {
    whatItDoes: 'Flags `model.export(path)` (the TensorFlow SavedModel format) for the PyTorch backend.',
    why:
      'Keras 3 writes a SavedModel by tracing the model into a TensorFlow graph. On the PyTorch backend that path goes through `torch.export` and fails for ordinary Sequential and Functional models. A program that must run on PyTorch saves a `.keras` file, and exports the SavedModel from a TensorFlow or JAX session.',
    example: 'model.export("serving/my_model")',
    useInstead: 'model.save("my_model.keras")  # export the SavedModel under TensorFlow or JAX'
  },
  calls: { names: ['export'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['export'],
  visitors: { call: visit }
};
