/**
 * shape-argument-tensorshape-method (KM298)
 *
 * What it does: flags `TensorShape` methods and properties read from the shape a Keras layer's
 * `build(input_shape)` or `compute_output_shape(input_shape)` is given: `input_shape.as_list()`,
 * `.rank`, `.ndims`.
 *
 * Why: Keras 2 passed a `tf.TensorShape` there. Keras 3 passes a tuple, on every backend, so they
 * raise AttributeError ("'tuple' object has no attribute 'as_list'"; og47a repro_5, Géron's
 * handson-ml2 MyDense; claims/shape_argument_tensorshape_method.py).
 *
 * Fix: `list(input_shape)` and `len(input_shape)`, the same list and rank: safe.
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { parameterNames } from '../helpers/calls';
import { kerasMethodName } from '../helpers/model-code';

const SHAPE_METHODS = new Set(['build', 'compute_output_shape']);

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const object = child(node, 'object');
  const attr = child(node, 'attribute');
  const method = kerasMethodName(ctx);
  if (!object || !attr || object.type !== 'identifier' || !method || !SHAPE_METHODS.has(method) || !ctx.fn || ctx.cls?.keras !== 'layer') {
    return;
  }
  // The shape parameter itself (after self), not reassigned in the method (`input_shape = tf.TensorShape(input_shape)`).
  const params = parameterNames(ctx.fn.node, ctx) ?? [];
  const shape = params[1];
  const body = child(ctx.fn.node, 'body');
  if (!shape || ctx.textOf(object) !== shape || !body || new RegExp(`(?<![\\w.])${shape}\\s*=(?!=)`).test(ctx.textOf(body))) {
    return;
  }
  const read = ctx.textOf(attr);
  const call = node.parent?.type === 'call' && child(node.parent, 'function') === node ? node.parent : null;
  let target: SyntaxNode;
  let text: string;
  if (read === 'as_list' && call && (child(call, 'arguments')?.children.length ?? 0) === 0) {
    target = call;
    text = `list(${shape})`;
  } else if ((read === 'rank' || read === 'ndims') && !call) {
    target = node;
    text = `len(${shape})`;
  } else {
    return;
  }
  if (ctx.lookup(text.startsWith('list') ? 'list' : 'len')) {
    return; // the builtin is shadowed
  }
  ctx.report(
    node,
    `Keras 3 gives \`${method}()\` the shape as a tuple (Keras 2 gave a \`tf.TensorShape\`), so \`${shape}.${read}\` raises AttributeError on every backend; use \`${text}\`.`,
    { title: `Use \`${text}\``, safe: true, edits: [{ start: target.start, end: target.end, text }] },
    undefined,
    undefined,
    ['tensorflow', 'jax', 'torch']
  );
}

export const shapeArgumentTensorshapeMethod: RuleDefinition = {
  code: 'KM298',
  name: 'shape-argument-tensorshape-method',
  slug: 'api-changes',
  severity: 'error',
  /** AttributeError on TensorFlow, JAX and PyTorch (Keras 3.15; claims/shape_argument_tensorshape_method.py). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: ['as_list', 'rank', 'ndims'],
  docs: {
    whatItDoes:
      'Flags `as_list()`, `rank` and `ndims` read from the shape parameter of a Keras layer\'s `build()` or `compute_output_shape()` (where the method does not rebind it, as `input_shape = tf.TensorShape(input_shape)` does).',
    why:
      'Keras 2 passed these methods a `tf.TensorShape`. Keras 3 passes a tuple on every backend, so the TensorShape API raises AttributeError ("\'tuple\' object has no attribute \'as_list\'", checked on Keras 3.15 with TensorFlow, JAX and PyTorch). `list(input_shape)` and `len(input_shape)` give the same list and rank: a safe fix.',
    example:
      'import keras\nclass MyDense(keras.layers.Layer):\n    def __init__(self, units):\n        super().__init__()\n        self.units = units\n    def compute_output_shape(self, batch_input_shape):\n        return tuple(batch_input_shape.as_list()[:-1] + [self.units])',
    useInstead:
      'import keras\nclass MyDense(keras.layers.Layer):\n    def __init__(self, units):\n        super().__init__()\n        self.units = units\n    def compute_output_shape(self, batch_input_shape):\n        return tuple(list(batch_input_shape)[:-1] + [self.units])'
  },
  attributes: { names: ['as_list', 'rank', 'ndims'] },
  requires: ['as_list', 'rank', 'ndims'],
  visitors: { attribute: visit }
};
