import { child, itemsOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';
import { callsInBody, mappedBodies } from '../helpers/tf-data';

/**
 * What it does: flags `tf.py_function(...)` / `tf.numpy_function(...)` in the function given to
 * `tf.data.Dataset.map()` (or a function of the cell it calls) whose result is given no shape
 * there (no `tf.ensure_shape`, no `.set_shape()`).
 *
 * Why: both return tensors of unknown shape (not even a rank). Keras 2 fitted on such a dataset;
 * Keras 3 on TensorFlow fails on the first batch ("as_list() is not defined on an unknown
 * TensorShape", or "Cannot take the length of shape with unknown rank" from the first layer).
 * JAX and PyTorch get the batches as NumPy arrays and run (keras.io RandAugment's imgaug step,
 * checked by running Keras 3.15 on each backend).
 *
 * Example: `ds.map(lambda x, y: (tf.py_function(augment, [x], [tf.float32])[0], y))`
 *
 * Use instead: `ds.map(lambda x, y: (tf.ensure_shape(tf.py_function(augment, [x], [tf.float32])[0], x.shape), y))`
 * (the fix, unsafe: it assumes the function returns its input's shape, as an augmentation does;
 * write the real shape otherwise).
 */

const PY_FUNCTIONS = new Set(['tensorflow.py_function', 'tensorflow.numpy_function']);

/** Whether the function body already gives a shape (`tf.ensure_shape(...)`, `x.set_shape(...)`). */
function shapesSomething(body: SyntaxNode, ctx: RuleContext): boolean {
  return /\.set_shape\s*\(|\bensure_shape\s*\(/.test(ctx.textOf(body));
}

/**
 * `tf.ensure_shape(<result>, x.shape)` around the one output of a call with one input `x`: the
 * call indexed `[0]`, or the call itself when `Tout` is a single dtype.
 */
function ensureShapeFix(call: SyntaxNode, ctx: RuleContext): RawFix | null {
  const parts = callParts(call, ctx)!;
  const fnText = ctx.textOf(parts.fn);
  const dot = fnText.lastIndexOf('.');
  if (dot <= 0 || parts.splat) {
    return null;
  }
  const module = fnText.slice(0, dot);
  const inp = parts.positional[1] ?? parts.keywords.get('inp')?.value;
  const tout = parts.positional[2] ?? parts.keywords.get('Tout')?.value;
  if (!inp || !tout || (inp.type !== 'list' && inp.type !== 'tuple')) {
    return null;
  }
  const inputs = itemsOf(inp);
  if (inputs.length !== 1 || inputs[0].type !== 'identifier') {
    return null;
  }
  const indexed = call.parent?.type === 'subscript' && call.field === 'value' && /^\[\s*0\s*\]$/.test(ctx.text.slice(call.end, call.parent.end));
  const single = tout.type !== 'list' && tout.type !== 'tuple';
  const target = indexed ? call.parent! : single ? call : null;
  if (!target) {
    return null;
  }
  const edits: OffsetEdit[] = [
    { start: target.start, end: target.start, text: `${module}.ensure_shape(` },
    { start: target.end, end: target.end, text: `, ${ctx.textOf(inputs[0])}.shape)` }
  ];
  return { title: `Give the result its input's shape with \`${module}.ensure_shape\``, safe: false, edits };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  for (const body of mappedBodies(node, ctx)) {
    if (shapesSomething(body, ctx)) {
      continue;
    }
    for (const call of callsInBody(body)) {
      const fn = child(call, 'function');
      const canonical = fn ? ctx.resolve(fn) : null;
      if (!fn || !canonical || !PY_FUNCTIONS.has(canonical)) {
        continue;
      }
      const name = canonical.replace(/^tensorflow\./, 'tf.');
      ctx.report(
        fn,
        `\`${name}\` in a function mapped over a tf.data dataset returns a tensor of unknown shape: Keras 3 on TensorFlow cannot train on it ("as_list() is not defined on an unknown TensorShape"; Keras 2 could). Give the result its shape with \`tf.ensure_shape(result, shape)\` or \`result.set_shape(shape)\`.`,
        ensureShapeFix(call, ctx)
      );
    }
  }
}

export const pyFunctionShapeInTfData: RuleDefinition = {
  code: 'KM230',
  name: 'py-function-shape-in-tf-data',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow'],
  fixAvailability: 'sometimes',
  triggers: ['map'],
  docs: {
    whatItDoes:
      'Flags `tf.py_function(...)` and `tf.numpy_function(...)` in the function given to `tf.data.Dataset.map()` (a lambda or a `def` of the cell, or a function of the cell it calls) when that function gives the result no shape (no `tf.ensure_shape`, no `.set_shape()`).',
    why:
      'Both return tensors of unknown shape, not even a rank. Keras 2 trained on such a dataset; Keras 3 on TensorFlow fails on the first batch ("as_list() is not defined on an unknown TensorShape", or "Cannot take the length of shape with unknown rank" in the first layer), while JAX and PyTorch receive the batches as NumPy arrays and run (checked by running Keras 3.15 on each backend: keras.io RandAugment\'s imgaug step). The fix (unsafe) wraps the one result of a call with one input `x` in `tf.ensure_shape(..., x.shape)`: right for an augmentation that keeps its input\'s shape; write the real shape otherwise.',
    example:
      'import tensorflow as tf\nds = ds.map(lambda x, y: (tf.py_function(augment, [x], [tf.float32])[0], y))',
    useInstead:
      'import tensorflow as tf\nds = ds.map(lambda x, y: (tf.ensure_shape(tf.py_function(augment, [x], [tf.float32])[0], x.shape), y))'
  },
  calls: { names: ['map'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['map'],
  visitors: { call: visit }
};
