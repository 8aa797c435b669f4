/**
 * python-number-layer-input (KM281)
 *
 * What it does: flags a Keras layer or model called on a Python number (`calc(1)`,
 * `layer(-2.5)`).
 *
 * Why: Keras 2 converted a Python number given to a layer into a tensor, so the TensorFlow CSV
 * tutorial's `calc = keras.Model(inputs=input, outputs=2*input + 1)` answered `calc(1)` with 3.0.
 * Keras 3 takes tensors only: a Functional model raises "Inputs to a layer should be tensors" and
 * other layers and models "Only input tensors may be passed as positional arguments", on
 * TensorFlow, JAX and PyTorch alike (checked on Keras 3.15). `keras.ops.convert_to_tensor(1)`
 * gives the layer what Keras 2 did. A Functional model built on `keras.Input(shape=())` also checks
 * that its input has a batch axis ("Expected shape (None,), but input has incompatible shape
 * ()"): Keras 2 let the unbatched number through, so the number goes in as a batch of one and the
 * one result comes out, the number Keras 2 gave.
 *
 * Example:
 *   calc = keras.Model(inputs=input, outputs=result)
 *   print(calc(1))
 *
 * Use instead:
 *   calc = keras.Model(inputs=input, outputs=result)
 *   print(calc(keras.ops.convert_to_tensor([1]))[0])
 *
 * Fix (safe): wraps the number in `keras.ops.convert_to_tensor(...)`; for a Functional model
 * whose one input is `keras.Input(shape=())` (or a Sequential starting with one), in a batch of
 * one with the result's first item taken. The call failed on every backend and now gives Keras 2's
 * value. No fix for a model whose input shape is not known here (a loaded model, another shape).
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, valueBefore } from '../helpers/calls';

/** Whether a node is a Python number literal, maybe negated. */
function isNumberLiteral(node: SyntaxNode): boolean {
  if (node.type === 'unary_operator') {
    const operand = child(node, 'argument');
    return !!operand && (operand.type === 'integer' || operand.type === 'float');
  }
  return node.type === 'integer' || node.type === 'float';
}

/** Whether a call is `keras.Input(shape=())` (or `Input((), ...)`, `InputLayer(shape=())`). */
function isScalarInput(node: SyntaxNode | null, ctx: RuleContext): boolean {
  if (!node || node.type !== 'call') {
    return false;
  }
  const parts = callParts(node, ctx);
  const keras = parts ? ctx.resolveKeras(parts.fn) ?? '' : '';
  if (!parts || parts.splat || !/^keras\.(?:layers\.)?(?:Input|InputLayer)$/.test(keras)) {
    return false;
  }
  const shape = parts.keywords.get('shape')?.value ?? parts.keywords.get('input_shape')?.value ?? parts.positional[0] ?? null;
  return !!shape && (shape.type === 'tuple' || shape.type === 'list') && itemsOf(shape).length === 0;
}

/** How Keras 3 takes a number converted to a tensor in the layer a callee names. */
type Receiver = 'scalar-batches' | 'plain' | 'unknown';

/**
 * `scalar-batches`: a Functional model `keras.Model(inputs, outputs)` whose inputs is one
 * `keras.Input(shape=())` (given directly or through a name), or a
 * `keras.Sequential([keras.Input(shape=()), ...])`: Keras 3 checks the batch axis.
 * `plain`: a layer or a model that checks no input shape (a layer class, a subclassed model, a
 * Sequential given no input shape): a tensor without a batch axis goes in as Keras 2's did.
 * `unknown`: a model with another or an unknown input shape (loaded, made by a function).
 */
function receiverOf(fn: SyntaxNode, ctx: RuleContext): Receiver {
  const value = fn.type === 'identifier' ? valueBefore(ctx.textOf(fn), fn, ctx) : fn;
  const parts = value?.type === 'call' ? callParts(value, ctx) : null;
  if (!parts || parts.splat) {
    return 'unknown';
  }
  const keras = ctx.resolveKeras(parts.fn) ?? '';
  if (keras === 'keras.Model' || keras === 'keras.models.Model') {
    const inputs = parts.keywords.get('inputs')?.value ?? parts.positional[0] ?? null;
    if (!inputs) {
      return 'plain';
    }
    const input = inputs.type === 'identifier' ? valueBefore(ctx.textOf(inputs), inputs, ctx) : inputs;
    return isScalarInput(input, ctx) ? 'scalar-batches' : 'unknown';
  }
  if (keras === 'keras.Sequential' || keras === 'keras.models.Sequential') {
    const layers = parts.keywords.get('layers')?.value ?? parts.positional[0] ?? null;
    const items = layers && (layers.type === 'list' || layers.type === 'tuple') ? itemsOf(layers) : [];
    const first = items[0]?.type === 'call' ? callParts(items[0], ctx) : null;
    if (!first || first.splat) {
      // Layers added later (`model.add(...)`) may give it an input shape.
      return 'unknown';
    }
    if (isScalarInput(items[0], ctx)) {
      return 'scalar-batches';
    }
    const givesShape = /(?:^|\.)(?:Input|InputLayer)$/.test(ctx.resolveKeras(first.fn) ?? '') || first.keywords.has('input_shape') || first.keywords.has('input_dim');
    return givesShape ? 'unknown' : 'plain';
  }
  const kind = ctx.kerasKindOfClass(parts.fn);
  return kind === 'layer' || kind === 'model' ? 'plain' : 'unknown';
}

/** Whether a name holds a model Keras loaded from a file (`keras.models.load_model(path)`). */
function isLoadedModel(name: SyntaxNode, ctx: RuleContext): boolean {
  const value = valueBefore(ctx.textOf(name), name, ctx);
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  return !!fn && /^keras\.(?:models|saving)\.load_model$/.test(ctx.resolveKeras(fn) ?? '');
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  const arg = parts && !parts.splat && parts.positional.length > 0 ? parts.positional[0] : null;
  if (!parts || !arg || !isNumberLiteral(arg)) {
    return;
  }
  // The layer itself: a name bound to one, or a layer made in place (`keras.layers.Dense(3)(1.0)`);
  // not a method of one (`model.predict(1)` takes NumPy-convertible data).
  const fn = parts.fn;
  const isLayer = fn.type === 'identifier' ? ctx.isLayerInstance(fn) || isLoadedModel(fn, ctx) : fn.type === 'call' && ['layer', 'model'].includes(ctx.kerasKindOfClass(child(fn, 'function') ?? fn) ?? '');
  if (!isLayer) {
    return;
  }
  const number = ctx.textOf(arg);
  const receiver = receiverOf(fn, ctx);
  const batched = receiver === 'scalar-batches';
  const edits: OffsetEdit[] = batched
    ? [
        { start: arg.start, end: arg.end, text: `keras.ops.convert_to_tensor([${number}])` },
        { start: node.end, end: node.end, text: '[0]' }
      ]
    : [{ start: arg.start, end: arg.end, text: `keras.ops.convert_to_tensor(${number})` }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  const fixable = receiver !== 'unknown';
  const raised =
    receiver === 'plain'
      ? '"Only input tensors may be passed as positional arguments"'
      : receiver === 'scalar-batches'
        ? '"Inputs to a layer should be tensors"'
        : '"Inputs to a layer should be tensors" (a Functional model) or "Only input tensors may be passed as positional arguments"';
  ctx.report(
    arg,
    `Keras 3 layers and models take tensors, not Python numbers: \`${ctx.textOf(node)}\` raises ${raised} on every backend, where Keras 2 converted the number to a tensor. ` +
      (batched
        ? `The model's input is \`keras.Input(shape=())\`, which Keras 3 also checks for a batch axis: give it the number as a batch of one and take the one result, \`keras.ops.convert_to_tensor([${number}])\` and \`[0]\`.`
        : fixable
          ? `\`keras.ops.convert_to_tensor(${number})\` gives the layer what Keras 2 did.`
          : `Give it a tensor with the input's shape and a batch axis (\`keras.ops.convert_to_tensor([${number}])\` for \`keras.Input(shape=())\`).`),
    fixable
      ? {
          title: batched ? 'Call it on a batch of one and take the result' : 'Convert the number with `keras.ops.convert_to_tensor`',
          safe: true,
          edits
        }
      : undefined
  );
}

export const pythonNumberLayerInput: RuleDefinition = {
  code: 'KM281',
  name: 'python-number-layer-input',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a call of a Keras layer or model (a name bound to one, or one made in place) whose first argument is a Python number literal, maybe negated. Not a method of a model (`model.predict(1)`). The safe fix wraps the number in `keras.ops.convert_to_tensor(...)`; for a Functional model whose one input is `keras.Input(shape=())` (or a Sequential starting with one), it passes the number as a batch of one and takes the result\'s first item. A model whose input shape is not known here (loaded, another shape) gets no fix.',
    why:
      'Keras 2 converted a Python number given to a layer into a tensor (the TensorFlow CSV tutorial\'s `calc(1)` on `keras.Model(inputs=input, outputs=2*input + 1)` gave 3.0). Keras 3 takes tensors only: a Functional model raises "Inputs to a layer should be tensors" and other layers and models "Only input tensors may be passed as positional arguments", on every backend (checked on Keras 3.15 with TensorFlow, JAX and PyTorch). A Functional model built on `keras.Input(shape=())` also requires a batch axis ("Expected shape (None,), but input has incompatible shape ()"), which Keras 2 did not check: a batch of one gives Keras 2\'s number back as its one item.',
    example:
      'import keras\ninput = keras.Input(shape=(), dtype="float32")\ncalc = keras.Model(inputs=input, outputs=2 * input + 1)\nprint(calc(1))',
    useInstead:
      'import keras\ninput = keras.Input(shape=(), dtype="float32")\ncalc = keras.Model(inputs=input, outputs=2 * input + 1)\nprint(calc(keras.ops.convert_to_tensor([1]))[0])'
  },
  visitors: { call: visit }
};
