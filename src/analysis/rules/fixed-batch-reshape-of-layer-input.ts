import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { builtInSymbolicCallFact, callParts, classMethodDefinitions, kerasMethodName, nodesOfType, rootOf, symbolicInputFact, KERAS_CALLEES } from '../rule-helpers';

/** The reshape functions this rule reads (TF's before its conversion, keras.ops's after). */
const RESHAPE = /^(keras\.ops\.reshape|tensorflow\.reshape)$/;

/** The named items of a list or tuple (commas and brackets dropped). */
function items(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter(c => c.type !== ',' && c.type !== '(' && c.type !== ')' && c.type !== '[' && c.type !== ']' && c.type !== 'comment');
}

/** Whether `name` is assigned (or is a parameter) in the function `fn` before `at`: then it may come from the data. */
function assignedBefore(fn: SyntaxNode, name: string, at: SyntaxNode, ctx: RuleContext): boolean {
  const params = child(fn, 'parameters');
  if (params && [...nodesOfType(params, "identifier")].some(p => ctx.textOf(p) === name)) {
    return true;
  }
  for (const type of ['assignment', 'augmented_assignment', 'for_statement'] as const) {
    for (const a of nodesOfType(fn, type)) {
      const left = child(a, 'left');
      if (left && a.start < at.start && [...nodesOfType(left, "identifier")].some(i => ctx.textOf(i) === name)) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Whether a shape element is a size fixed before the data is seen: an integer, a name the function does
 * not assign (a module constant), `self.<attr>`, or arithmetic of these. A size read from a tensor
 * (`keras.ops.shape(x)[0]`, `x.shape[0]`, a name assigned in the function) is not.
 */
function fixedSize(node: SyntaxNode, fn: SyntaxNode, at: SyntaxNode, ctx: RuleContext): boolean {
  switch (node.type) {
    case 'integer':
      return Number(ctx.textOf(node)) > 0;
    case 'identifier':
      return !assignedBefore(fn, ctx.textOf(node), at, ctx);
    case 'attribute':
      return child(node, 'object')?.type === 'identifier' && ctx.textOf(child(node, 'object')!) === 'self' && ctx.textOf(child(node, 'attribute') ?? node) !== 'shape';
    case 'binary_operator': {
      const op = ctx.textOf(child(node, 'operator') ?? node);
      const left = child(node, 'left');
      const right = child(node, 'right');
      return /^(\*|\/\/)$/.test(op) && !!left && !!right && fixedSize(left, fn, at, ctx) && fixedSize(right, fn, at, ctx);
    }
    case 'parenthesized_expression':
      return items(node).length === 1 && fixedSize(items(node)[0], fn, at, ctx);
    default:
      return false;
  }
}

/** Whether the cell makes a model input of fixed batch size: `Input(..., batch_size=...)` or `Input(batch_shape=...)`. */
function fixedBatchInput(node: SyntaxNode, ctx: RuleContext): boolean {
  for (const call of nodesOfType(rootOf(node), 'call')) {
    const fn = child(call, 'function');
    const parts = fn && /(^|\.)(Input|InputLayer)$/.test(ctx.textOf(fn)) ? callParts(call, ctx) : null;
    if (parts && (parts.keywords.has('batch_size') || parts.keywords.has('batch_shape'))) {
      return true;
    }
  }
  return false;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const cls = ctx.cls;
  const fn = ctx.fn?.node;
  if (!cls || cls.keras !== 'layer' || !fn || kerasMethodName(ctx) !== 'call' || ctx.fn?.classScope !== cls) {
    return;
  }
  const parts = callParts(node, ctx);
  const name = parts ? (ctx.resolveKeras(parts.fn) ?? ctx.resolve(parts.fn)) : null;
  if (!parts || parts.splat || !name || !RESHAPE.test(name)) {
    return;
  }
  const methods = classMethodDefinitions(cls.node, ctx);
  if (methods.has('compute_output_shape') || methods.has('compute_output_spec')) {
    return;
  }
  // The tensor reshaped is the layer's own input (call's first parameter after self), as Keras gives it.
  const params = (child(fn, 'parameters')?.children ?? []).filter(p => p.type === 'identifier' || p.type === 'typed_parameter' || p.type === 'default_parameter');
  const first = params[1];
  const input = first ? ctx.textOf(first.type === 'identifier' ? first : (child(first, 'name') ?? first.children[0] ?? first)) : null;
  const tensor = parts.positional[0] ?? parts.keywords.get('tensor')?.value ?? parts.keywords.get('x')?.value;
  if (!input || !tensor || tensor.type !== 'identifier' || ctx.textOf(tensor) !== input) {
    return;
  }
  for (const a of nodesOfType(fn, 'assignment')) {
    const left = child(a, 'left');
    if (left && a.end <= node.start && [...nodesOfType(left, "identifier")].some(i => ctx.textOf(i) === input) && left.type !== 'attribute') {
      return;
    }
  }
  const shape = parts.positional[1] ?? parts.keywords.get('shape')?.value ?? parts.keywords.get('newshape')?.value;
  if (!shape || (shape.type !== 'list' && shape.type !== 'tuple')) {
    return;
  }
  const dims = items(shape);
  // Every size fixed (no -1, none read from the data): the input's batch size is assumed.
  if (dims.length < 2 || !dims.every(d => fixedSize(d, fn, node, ctx))) {
    return;
  }
  // A model input of fixed batch size (`keras.Input(shape, batch_size=8)`) gives Keras that batch instead of stand-ins.
  if (fixedBatchInput(node, ctx)) {
    return;
  }
  const symbolic = `anywhere:${symbolicInputFact(cls.name)} | anywhere:${builtInSymbolicCallFact(cls.name)}`;
  ctx.report(
    dims[0],
    `\`${ctx.textOf(node.children[0] ?? node)}(${input}, ${ctx.textOf(shape)})\` gives the layer's input a fixed size, which assumes one batch size: on PyTorch, Keras infers the output of a layer called on KerasTensors of unknown batch size (a functional model being built) by running \`call()\` on stand-in batches of 83 and 89 samples, and the fixed shape fails there ("shape '[...]' is invalid for input of size ..."). Write -1 for the first size: the result is the same wherever the fixed shape fits, and the stand-in batches go through. (Or define \`compute_output_shape()\` on the outermost layer called on KerasTensors.)`,
    {
      title: `Write -1 for \`${ctx.textOf(dims[0])}\` in the reshape`,
      safe: false,
      edits: [{ start: dims[0].start, end: dims[0].end, text: '-1' }]
    },
    undefined,
    undefined,
    ['torch'],
    { torch: symbolic }
  );
}

export const fixedBatchReshapeOfLayerInput: RuleDefinition = {
  code: 'KM360',
  name: 'fixed-batch-reshape-of-layer-input',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      "In a Keras layer's `call()` (a layer with no `compute_output_shape()`/`compute_output_spec()`, in a cell making no model input of fixed batch size, `keras.Input(..., batch_size=...)`), flags `keras.ops.reshape(x, [A, B, ...])` (or `tf.reshape`) of the layer's own input `x` to sizes all fixed before the data is seen (integers, module constants, `self` attributes, products of these; no -1 and no size read from a tensor), such as a mixture-of-experts layer flattening its input to `[tokens_per_batch, embed_dim]` with `tokens_per_batch = batch_size * sequence_length`. It claims PyTorch where the notebook calls the layer on KerasTensors (or builds it inside another layer called on them).",
    why:
      "The fixed sizes assume one batch size. TensorFlow builds a functional model on symbolic tensors and JAX infers shapes without running the reshape on a wrong batch, so both accept it (checked by running keras.io's Switch Transformer: TensorFlow and JAX run it), but Keras's PyTorch backend infers the output of a layer called on KerasTensors of unknown batch size by running `call()` on stand-in batches of 83 and 89 samples (keras/src/backend/torch/core.py `compute_output_spec`), and the reshape fails there: \"shape '[10000, 32]' is invalid for input of size 531200\". `reshape(x, [-1, B, ...])` is the same array as `reshape(x, [A, B, ...])` whenever the latter succeeds (the total size then is A times the rest), and it lets the stand-in batches through: with it the Switch Transformer runs on PyTorch. The fix is not marked safe: on TensorFlow the first static size of the result becomes unknown in a traced graph, which code reading `x.shape[0]` as a number would notice. Not covered by the migration guide.",
    example:
      'import keras\n\nTOKENS_PER_BATCH = 4 * 10\n\nclass Flatten2(keras.layers.Layer):\n    def call(self, inputs):\n        return keras.ops.reshape(inputs, [TOKENS_PER_BATCH, 8])',
    useInstead:
      'import keras\n\nTOKENS_PER_BATCH = 4 * 10\n\nclass Flatten2(keras.layers.Layer):\n    def call(self, inputs):\n        return keras.ops.reshape(inputs, [-1, 8])'
  },
  calls: { resolved: KERAS_CALLEES },
  visitors: { call: visit }
};
