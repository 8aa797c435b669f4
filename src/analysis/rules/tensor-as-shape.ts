import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue, KERAS_CALLEES } from '../rule-helpers';
import { inModelCode } from '../helpers/model-code';

/** keras.ops functions whose `shape` (or `reps`) must be concrete integers on JAX. */
const SHAPED = /^keras\.ops\.(ones|zeros|full|empty|reshape|broadcast_to|tile)$/;
/** What makes a tensor out of a shape element: on JAX, under jit, a traced value. */
const TENSOR_MAKER = /^(keras\.ops\.(cast|convert_to_tensor|minimum|maximum)|tensorflow\.(cast|convert_to_tensor|constant|minimum|maximum|math\.minimum|math\.maximum))$/;

/** `keras.ops.shape(x)[0]`, `tf.shape(x)[0]`, `x.shape[0]`: a dimension of a named tensor. */
const DIMENSION = /^(?:(?:keras\.ops|tensorflow)\.shape\((\w+)\)|(\w+)\.shape)\[-?\d+\]$/;

/**
 * The text of the dimension a cast shape element was made from (`keras.ops.cast(keras.ops.shape(y)[0], "int64")`
 * gives `keras.ops.shape(y)[0]`), when writing it at the shape gives the same integer: the tensor
 * it reads is not assigned again between the cast and the shape. Else null.
 */
function shapeElement(cast: SyntaxNode, element: SyntaxNode, ctx: RuleContext): string | null {
  const parts = callParts(cast, ctx);
  const arg = parts && !parts.splat ? (parts.positional[0] ?? parts.keywords.get('x')?.value ?? parts.keywords.get('value')?.value) : null;
  if (!arg || arg.type !== 'subscript' || cast.end > element.start) {
    return null;
  }
  const value = child(arg, 'value');
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  const canonical = (fn ? (ctx.resolveKeras(fn) ?? ctx.resolve(fn)) + ctx.textOf(value!).slice(ctx.textOf(fn).length) : ctx.textOf(value ?? arg)) + ctx.textOf(arg).slice(ctx.textOf(value ?? arg).length);
  const m = DIMENSION.exec(canonical.replace(/\s+/g, ''));
  const tensor = m ? m[1] ?? m[2] : null;
  if (!tensor) {
    return null;
  }
  const between = ctx.text.slice(cast.end, element.start);
  return new RegExp(`^\\s*${tensor}\\s*(=|\\+=)(?!=)`, 'm').test(between) ? null : ctx.textOf(arg);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const name = parts ? ctx.resolveKeras(parts.fn) : null;
  if (!parts || !name || !SHAPED.test(name) || !inModelCode(node, ctx)) {
    return;
  }
  const shape = parts.keywords.get('shape')?.value ?? parts.keywords.get('reps')?.value ?? parts.keywords.get('newshape')?.value ?? parts.positional[/reshape|broadcast_to|tile/.test(name) ? 1 : 0];
  if (!shape || (shape.type !== 'tuple' && shape.type !== 'list')) {
    return;
  }
  for (const element of shape.children) {
    if (element.type !== 'identifier') {
      continue;
    }
    const value = lastAssignedValue(ctx.textOf(element), node, ctx);
    const fn = value && value.type === 'call' ? callParts(value, ctx)?.fn : null;
    const maker = fn ? (ctx.resolveKeras(fn) ?? ctx.resolve(fn)) : null;
    if (maker && TENSOR_MAKER.test(maker)) {
      const dimension = shapeElement(value!, element, ctx);
      ctx.report(
        element,
        `\`${ctx.textOf(element)}\` is a tensor (\`${ctx.textOf(fn!)}(...)\`) used as a shape in \`${name}\`: on JAX, inside a compiled step or a model being built, it is a traced value and JAX needs concrete integers ("Shapes must be 1D sequences of concrete values of integer type"). Use the shape element itself (\`keras.ops.shape(x)[0]\` is a Python int on JAX and PyTorch) and cast the result instead.`,
        dimension ? { title: `Use \`${dimension}\` as the shape element`, safe: true, edits: [{ start: element.start, end: element.end, text: dimension }] } : null
      );
    }
  }
}

export const tensorAsShape: RuleDefinition = {
  code: 'KM183',
  name: 'tensor-as-shape',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['jax'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'In model code (layer and model methods, losses, Lambda functions), flags an element of the shape given to `keras.ops.ones`/`zeros`/`full`/`empty`/`reshape`/`broadcast_to`/`tile` that was made a tensor by `keras.ops.cast`/`convert_to_tensor` (or `tf.cast`), as `tf.cast(tf.shape(x)[0], "int64")` becomes when converted to keras.ops, or by `keras.ops.minimum`/`maximum` (`tf.minimum`), as keras.io StyleGAN\'s minibatch standard deviation writes its group size `tf.minimum(group_size, tf.shape(x)[0])` (no fix: Python\'s `min()` would fail on TensorFlow, where a dynamic dimension is a tensor).',
    why:
      'JAX traces model code (in `fit()` and when a functional model is built) and needs a shape of concrete integers: a cast shape element is a traced array and the call fails with "Shapes must be 1D sequences of concrete values of integer type" (checked by running the converted keras.io CTC example, and a minibatch-std layer\'s `keras.ops.minimum(4, n)` group size given to `keras.ops.reshape`: TensorFlow and PyTorch accept it, JAX does not). `keras.ops.shape(x)[i]` is a Python int on JAX and PyTorch. When the cast value is a dimension (`keras.ops.shape(y)[0]`, `y.shape[0]`) of a tensor not assigned again before the shape, the safe fix writes that dimension at the shape: the same integer, and the cast value keeps its dtype where else it is used (dropping the cast itself would change dtypes on TensorFlow, where a dynamic dimension is an int32 tensor).',
    example:
      'import keras\nclass Lengths(keras.layers.Layer):\n    def call(self, y):\n        batch = keras.ops.cast(keras.ops.shape(y)[0], "int64")\n        return keras.ops.ones(shape=(batch, 1), dtype="int64")',
    useInstead:
      'import keras\nclass Lengths(keras.layers.Layer):\n    def call(self, y):\n        batch = keras.ops.shape(y)[0]\n        return keras.ops.ones(shape=(batch, 1), dtype="int64")'
  },
  calls: { resolved: KERAS_CALLEES },
  visitors: { call: visit }
};
