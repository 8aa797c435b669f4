import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, constructorsOfCallee, lineStartAt } from '../rule-helpers';
import { kerasMethodName } from '../helpers/model-code';

const SQUEEZE = new Set(['tensorflow.squeeze', 'keras.ops.squeeze', 'keras.ops.numpy.squeeze']);

/** Whether calling `fn` calls a Keras layer: a layer instance, or `self.<attr>` the class sets to one. */
function isLayer(fn: SyntaxNode, ctx: RuleContext): boolean {
  if (ctx.isLayerInstance(fn)) {
    return true;
  }
  const ctors = fn.type === 'attribute' ? constructorsOfCallee(fn, ctx) : null;
  return !!ctors && ctors.length > 0 && ctors.every(c => {
    const kind = ctx.kerasKindOfClass(child(c, 'function') ?? c);
    return kind === 'layer' || kind === 'model';
  });
}

/** Whether `call` is a call of a layer (`self.head(...)`, `dense(...)`) that gets `value` or the name `name` as an argument. */
function layerCallGets(call: SyntaxNode, value: SyntaxNode, name: string | null, ctx: RuleContext): boolean {
  const fn = child(call, 'function');
  const args = child(call, 'arguments');
  if (!fn || !args || !isLayer(fn, ctx)) {
    return false;
  }
  return args.children.some(a => (a.start === value.start && a.end === value.end) || (name !== null && a.type === 'identifier' && ctx.textOf(a) === name));
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const fn = child(node, 'function');
  const name = fn ? ctx.resolveKeras(fn) ?? ctx.resolve(fn) : null;
  if (!name || !SQUEEZE.has(name) || kerasMethodName(ctx) !== 'call' || !ctx.fn) {
    return;
  }
  const parts = callParts(node, ctx);
  if (!parts || parts.positional.length !== 1 || parts.keywords.size || parts.splat) {
    return;
  }
  // Its value reaches a layer: passed directly, or through a name assigned here and passed later in the method.
  const parent = node.parent?.type === 'argument_list' ? node.parent.parent : null;
  let reaches = !!parent && parent.type === 'call' && layerCallGets(parent, node, null, ctx);
  const right = node.parent?.type === 'assignment' ? child(node.parent, 'right') : null;
  const assignment = right && right.start === node.start && right.end === node.end ? node.parent : null;
  const target = assignment ? child(assignment, 'left') : null;
  if (!reaches && target?.type === 'identifier') {
    const assigned = ctx.textOf(target);
    const stack = [ctx.fn.node];
    while (stack.length && !reaches) {
      const n = stack.pop()!;
      reaches = n.type === 'call' && n.start > node.end && layerCallGets(n, node, assigned, ctx);
      stack.push(...n.children);
    }
  }
  if (!reaches) {
    return;
  }
  ctx.report(
    node,
    '`squeeze` without `axis=` in `call()`: on the TensorFlow backend Keras 3 traces `call()` with a `None` batch dimension, which might be 1, so the result has an unknown rank and the next Keras layer fails ("as_list() is not defined on an unknown TensorShape"); Keras 2 let an already built layer take it. Name the axis to drop (`keras.ops.squeeze(x, axis=...)`)' +
      (assignment && target?.type === 'identifier' ? ', or squeeze the axes the shape shows are 1 (the suggested fix).' : '.'),
    assignment && target?.type === 'identifier' ? staticAxesFix(node, assignment, ctx.textOf(target), parts.positional[0], ctx) : null
  );
}

/**
 * `name = squeeze(value)` as a statement of its own becomes `name = value` followed by a
 * squeeze of the axes of size 1 that `name.shape` shows: every axis of size 1 on JAX, PyTorch
 * and eager TensorFlow (as before), the known ones while TensorFlow traces (a `None` batch is
 * kept, so the rank is known). An unsafe fix: a traced batch of 1 is no longer dropped. An empty
 * `axis=` is never passed (TensorFlow's squeeze drops every axis of size 1 then).
 */
function staticAxesFix(call: SyntaxNode, assignment: SyntaxNode, name: string, value: SyntaxNode, ctx: RuleContext) {
  const stmt = assignment.parent;
  if (!stmt || stmt.type !== 'expression_statement' || stmt.children.length !== 1 || value.type === 'list_splat' || value.type === 'keyword_argument') {
    return null;
  }
  const lineStart = lineStartAt(ctx.text, stmt.start);
  const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart))![0];
  if (ctx.text.slice(lineStart, stmt.start) !== indent) {
    return null; // not the first statement of its line
  }
  const newline = ctx.text.indexOf('\n', stmt.end);
  const lineEnd = newline < 0 ? ctx.text.length : newline;
  if (!/^[ \t]*(#.*)?$/.test(ctx.text.slice(stmt.end, lineEnd))) {
    return null; // another statement follows on its line
  }
  const squeeze =
    `\n${indent}if 1 in ${name}.shape:  # the axes of size 1 the shape shows (TensorFlow traces a None batch)` +
    `\n${indent}    ${name} = keras.ops.squeeze(${name}, axis=[i for i, d in enumerate(${name}.shape) if d == 1])`;
  const edits = [
    { start: call.start, end: call.end, text: ctx.textOf(value) },
    { start: lineEnd, end: lineEnd, text: squeeze }
  ];
  const imp = ctx.kerasImportEdit();
  return {
    title: `Squeeze the axes of \`${name}\` its shape shows are 1 (a batch of 1 that TensorFlow traces as None is kept)`,
    safe: false,
    edits: imp ? [...edits, imp] : edits
  };
}

export const squeezeUnknownRank: RuleDefinition = {
  code: 'KM208',
  name: 'squeeze-unknown-rank',
  slug: 'api-changes',
  severity: 'warning',
  blocks: ['tensorflow'],
  fixAvailability: 'sometimes',
  triggers: ['squeeze'],
  docs: {
    whatItDoes: 'Flags `tf.squeeze(x)` or `keras.ops.squeeze(x)` without `axis` in a layer\'s or model\'s `call()` whose result is passed to a Keras layer.',
    why:
      'Without `axis`, squeeze drops every dimension of size 1, so when a dimension is unknown while tracing (the batch, `None`) TensorFlow cannot tell the rank of the result. Keras 3 on the TensorFlow backend traces `fit()`/`predict()` with a `None` batch and its layers read their input\'s shape, so the next layer raises "as_list() is not defined on an unknown TensorShape" (checked on Keras 3.15 with the keras.io GNN example\'s `tf.squeeze(tf.gather(x, input_node_indices))` before its Dense head). JAX and PyTorch run with concrete shapes and are not affected. The axis depends on the data: the suggested fix (for `name = squeeze(value)`) squeezes the axes of size 1 the shape shows, which on TensorFlow while tracing are the known ones, so the rank is known; a batch of 1 traced as `None` is then kept.',
    example:
      'import keras\n\nclass Head(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.out = keras.layers.Dense(3)\n\n    def call(self, x):\n        picked = keras.ops.squeeze(x)\n        return self.out(picked)',
    useInstead:
      'import keras\n\nclass Head(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.out = keras.layers.Dense(3)\n\n    def call(self, x):\n        picked = keras.ops.squeeze(x, axis=1)\n        return self.out(picked)'
  },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['squeeze'],
  visitors: { call: visit },
  calls: { names: ['squeeze'] }
};
