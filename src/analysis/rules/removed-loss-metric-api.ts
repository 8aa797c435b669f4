/**
 * removed-loss-metric-api (KM124)
 *
 * What it does: flags `Layer.add_metric()` calls, `model.add_loss(<symbolic tensor>)` and
 * `model.add_metric(<symbolic tensor>)` on a Functional model, and callable losses
 * (`add_loss(lambda: ...)`).
 *
 * Why: Keras 3 removed `add_metric()` (NotImplementedError on every backend) and symbolic
 * `add_loss()` (guide section "Removed features": "you can still use add_loss() inside the call()
 * method of a layer/model"); a Functional model's `add_loss`/`add_metric` raise NotImplementedError.
 *
 * Example:
 *   model = keras.Model(inputs, outputs)
 *   model.add_loss(1e-4 * keras.ops.sum(keras.ops.abs(hidden)))
 *
 * Use instead: a layer that calls `self.add_loss` in `call()`, with the model rebuilt on its output:
 *   model = keras.Model(model.inputs, AddLoss()(model.outputs, 1e-4 * ...), name=model.name)
 *
 * Fixes (unsafe):
 * - symbolic `model.add_loss(x)` on a model variable: an `AddLoss` layer (defined before the
 *   statement) takes the model's outputs and the loss tensor, adds the loss in `call()` and returns
 *   the outputs; the model is rebuilt on it. Runs on TensorFlow, JAX and PyTorch (checked by running:
 *   examples/runnable/vae_add_loss_models.py, functional_add_loss_add_metric.py).
 * - symbolic `model.add_metric(x, name=...)` (mean aggregation): the same with an `AddMetric` layer
 *   updating a `keras.metrics.Mean(name=...)` tracker. TensorFlow and PyTorch log it (the history
 *   keeps the metric's name); JAX cannot update a metric in call() (KM215), so the tracker exists
 *   and is updated only off JAX and the model trains there without it.
 * - `self.add_metric(value, name=...)` in a layer's `call()`: a `keras.metrics.Mean(name=...)`
 *   tracker created in `__init__` and updated with `update_state(value)`, both under the same
 *   backend test. Runs on TensorFlow, JAX and PyTorch (endpoint_layer_add_metric.ipynb,
 *   subclassed_model_add_metric.py).
 * - `self.add_metric(self.metric(y, p, w))` (a metric the layer holds, called, with no name): Keras 2
 *   logged that metric object, so the call becomes `self.metric.update_state(y, p, w)` under the
 *   same backend test (Keras 3 logs a sublayer's metrics under their own names).
 */
import { child, SyntaxNode } from '../ast';
import { CellMemoKey } from '../rule';
import type { OffsetEdit, RawFix, RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, indentOf, initAttributeEdit, kerasMethodName, lineStartAt, metricAttributes, OFF_JAX, selfAttribute } from '../rule-helpers';
import type { CallParts } from '../rule-helpers';

const ADD_METRIC_MESSAGE =
  '`add_metric()` was removed in Keras 3: it raises NotImplementedError on every backend. Pass the metric to `compile(metrics=[...])` when it compares the model\'s outputs with the targets. ' +
  'The suggested fix tracks the value with a `keras.metrics.Mean` created in `__init__()` and updated with `update_state()` in `call()`, logged on TensorFlow and PyTorch; JAX\'s stateless training step cannot update a metric inside `call()`, so there the fix skips the tracker and the model trains without the metric. To log it on JAX too, update the tracker in a Model subclass\'s `compute_loss()` (every backend runs it with the metrics\' state), or compute the value after training.';

/** The statement a call is the whole of (`model.add_loss(x)` on its own line), or null. */
function statementOf(call: SyntaxNode): SyntaxNode | null {
  const statement = call.parent;
  if (!statement || statement.type !== 'expression_statement' || statement.children.length !== 1) {
    return null;
  }
  const parent = statement.parent;
  return parent && (parent.type === 'module' || parent.type === 'block') ? statement : null;
}

/** The `name=` of an add_metric call (keyword or second positional), or null. */
function metricName(parts: CallParts): SyntaxNode | null {
  return parts.keywords.get('name')?.value ?? parts.positional[1] ?? null;
}

/** add_metric's aggregation is the default mean (the only one a `Mean` tracker reproduces). */
function meanAggregation(parts: CallParts, ctx: RuleContext): boolean {
  const aggregation = parts.keywords.get('aggregation')?.value;
  if (parts.positional.length > 2 || [...parts.keywords.keys()].some(k => k !== 'name' && k !== 'aggregation')) {
    return false;
  }
  return !aggregation || /^(['"])mean\1$/.test(ctx.textOf(aggregation)) || ctx.textOf(aggregation) === 'None';
}

/** Per cell and generated class name, the statement whose fix defines the class. */
const FIRST_DEFINITION = new CellMemoKey<Map<string, number>>('removed-loss-metric-api:first-definition');

function classLines(lines: string[], indent: string): string {
  return lines.map((line, i) => (i === 0 || line === '' ? line : indent + line)).join('\n');
}

const ADD_LOSS_CLASS = [
  'class AddLoss(keras.layers.Layer):',
  '    """Adds a loss computed from the model\'s tensors (Keras 3 has no symbolic `model.add_loss`)."""',
  '',
  '    def call(self, outputs, loss):',
  '        self.add_loss(loss)',
  '        return outputs'
];

const ADD_METRIC_CLASS = [
  'class AddMetric(keras.layers.Layer):',
  '    """Tracks the mean of a value computed from the model\'s tensors (Keras 3 has no `model.add_metric`)."""',
  '',
  '    def __init__(self, metric_name, **kwargs):',
  '        super().__init__(**kwargs)',
  '        # JAX cannot update a metric inside call(): there the model trains without it.',
  `        self.tracker = keras.metrics.Mean(name=metric_name) if ${OFF_JAX} else None`,
  '',
  '    def call(self, outputs, value):',
  `        if ${OFF_JAX}:`,
  '            self.tracker.update_state(value)',
  '        return outputs'
];

/**
 * `model.add_loss(x)` / `model.add_metric(x, name=...)` on a Functional model variable: a layer that
 * adds the loss (tracks the metric) in call() and returns the model's outputs, and the model rebuilt on it.
 */
function functionalFix(call: SyntaxNode, parts: CallParts, receiver: SyntaxNode, method: 'add_loss' | 'add_metric', ctx: RuleContext): RawFix | null {
  const statement = statementOf(call);
  if (!statement || receiver.type !== 'identifier' || parts.splat || parts.positional.length === 0) {
    return null;
  }
  const model = ctx.textOf(receiver);
  const value = ctx.textOf(parts.positional[0]);
  const indent = indentOf(statement, ctx);
  let layer: string;
  let lines: string[];
  if (method === 'add_loss') {
    if (parts.positional.length !== 1 || parts.keywords.size > 0) {
      return null;
    }
    layer = 'AddLoss()';
    lines = ADD_LOSS_CLASS;
  } else {
    const name = metricName(parts);
    if (!name || !meanAggregation(parts, ctx)) {
      return null;
    }
    layer = `AddMetric(${ctx.textOf(name)})`;
    lines = ADD_METRIC_CLASS;
  }
  const className = lines[0].slice('class '.length, lines[0].indexOf('('));
  // One definition per cell: by the first statement that gets this fix (fixes of one pass apply together).
  const firsts = ctx.cellMemo(FIRST_DEFINITION, () => new Map<string, number>());
  const first = firsts.get(className) ?? statement.start;
  firsts.set(className, first);
  const defined = first !== statement.start || new RegExp(`^[ \\t]*class ${className}\\b`, 'm').test(ctx.text);
  const rebuilt = `${model} = keras.Model(${model}.inputs, ${layer}(${model}.outputs, ${value}), name=${model}.name)`;
  // The class goes before the statement, after two blank lines at module level (one in a block).
  const lineStart = lineStartAt(ctx.text, statement.start);
  const definition = `${indent ? '\n' : '\n\n'}${indent}${classLines(lines, indent)}\n\n${indent ? '' : '\n'}${indent}`;
  const edits: OffsetEdit[] = [{ start: lineStart, end: statement.end, text: `${defined ? indent : definition}${rebuilt}` }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  return {
    title: method === 'add_loss' ? 'Add the loss from a layer\'s call() and rebuild the model on it' : 'Track the metric with a keras.metrics.Mean in a layer (logged on TensorFlow and PyTorch; JAX, which cannot update a metric in call(), trains without it)',
    safe: false,
    edits
  };
}

/**
 * `acc = self.accuracy_fn(...)`, a one-line statement before `self.add_metric(acc, ...)` in the same
 * block that calls a metric the class holds (keras.io's endpoint layer), when `acc` is used nowhere
 * else in the method: that call updates a metric too, so it goes under the backend test with the
 * tracker's update (JAX cannot update either inside call()).
 */
function metricCallFeeding(statement: SyntaxNode, value: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const method = ctx.fn?.node;
  if (!ctx.cls || !method || value.type !== 'identifier' || !statement.parent) {
    return null;
  }
  const name = ctx.textOf(value);
  const uses = ctx.textOf(method).match(new RegExp(`(?<![\\w.])${name}\\b`, 'g'))?.length ?? 0;
  const siblings = statement.parent.children;
  for (let i = siblings.indexOf(statement) - 1; i >= 0; i--) {
    const assignment = siblings[i].type === 'expression_statement' ? siblings[i].children[0] : null;
    const left = assignment?.type === 'assignment' ? child(assignment, 'left') : null;
    if (!left || left.type !== 'identifier' || ctx.textOf(left) !== name) {
      continue;
    }
    const right = child(assignment!, 'right');
    const fn = right?.type === 'call' ? child(right, 'function') : null;
    const attr = fn ? selfAttribute(fn, ctx) : null;
    const single = !/[\r\n]/.test(ctx.textOf(siblings[i]));
    return attr && metricAttributes(ctx.cls.node, ctx).has(attr) && single && uses === 2 ? siblings[i] : null;
  }
  return null;
}

/**
 * `self.add_metric(self.acc(y, p, w))` in call(), the value a call of a metric the class holds and no
 * name or aggregation: Keras 2 logged that metric object itself (under its own name), so the call
 * becomes the metric's `update_state(y, p, w)` under the backend test (the Keras team's port of the
 * endpoint-layer example; Keras 3 logs a sublayer's metrics). JAX cannot update it inside call().
 */
function metricObjectFix(call: SyntaxNode, parts: CallParts, ctx: RuleContext): RawFix | null {
  const value = parts.positional[0];
  const fn = value?.type === 'call' ? child(value, 'function') : null;
  const attr = fn ? selfAttribute(fn, ctx) : null;
  const args = value ? child(value, 'arguments') : null;
  const statement = statementOf(call);
  if (!ctx.cls || !attr || !args || args.type !== 'argument_list' || !statement || parts.positional.length !== 1 || parts.keywords.size > 0 ||
      !metricAttributes(ctx.cls.node, ctx).has(attr)) {
    return null;
  }
  const indent = indentOf(statement, ctx);
  const edits: OffsetEdit[] = [{
    start: call.start,
    end: call.end,
    text: `if ${OFF_JAX}:  # JAX cannot update a metric inside call()\n${indent}    self.${attr}.update_state${ctx.textOf(args)}`
  }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  return { title: `Update the metric with self.${attr}.update_state(...) (logged on TensorFlow and PyTorch; JAX, which cannot update a metric in call(), trains without it)`, safe: false, edits };
}

/** `self.add_metric(value, name="n")` in call(): a `keras.metrics.Mean(name="n")` created in __init__ and updated in its place. */
function trackerFix(call: SyntaxNode, parts: CallParts, ctx: RuleContext): RawFix | null {
  const cls = ctx.cls;
  if (!cls || kerasMethodName(ctx) !== 'call' || parts.splat || parts.positional.length === 0) {
    return null;
  }
  const metricObject = metricObjectFix(call, parts, ctx);
  if (metricObject || !meanAggregation(parts, ctx)) {
    return metricObject;
  }
  const name = metricName(parts);
  const literal = name && /^(['"])([^'"\\]+)\1$/.exec(ctx.textOf(name));
  if (!name || !literal) {
    return null;
  }
  let attribute = literal[2].replace(/\W+/g, '_').replace(/^(\d)/, '_$1') + '_tracker';
  if (new RegExp(`\\bself\\.${attribute}\\b`).test(ctx.textOf(cls.node))) {
    return null;
  }
  const statement = statementOf(call);
  const init = statement && initAttributeEdit(cls.node, `self.${attribute} = keras.metrics.Mean(name=${ctx.textOf(name)}) if ${OFF_JAX} else None`, ctx);
  if (!statement || !init) {
    return null;
  }
  // The update on a line of its own under the backend test (JAX trains without the metric).
  const indent = indentOf(statement, ctx);
  const guard = `if ${OFF_JAX}:  # JAX cannot update a metric inside call()`;
  const update = `self.${attribute}.update_state(${ctx.textOf(parts.positional[0])})`;
  const fed = metricCallFeeding(statement, parts.positional[0], ctx);
  const edits: OffsetEdit[] = [init];
  if (fed) {
    // `acc = self.metric(...)` joins the update under the test; the add_metric line goes.
    const lineEnd = /\r\n|\r|\n/.exec(ctx.text.slice(statement.end));
    const end = lineEnd ? statement.end + lineEnd.index + lineEnd[0].length : ctx.text.length;
    edits.push(
      { start: fed.start, end: fed.end, text: `${guard}\n${indent}    ${ctx.textOf(fed)}\n${indent}    ${update}` },
      { start: lineStartAt(ctx.text, statement.start), end, text: '' }
    );
  } else {
    edits.push({ start: call.start, end: call.end, text: `${guard}\n${indent}    ${update}` });
  }
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  return { title: 'Track the value with a keras.metrics.Mean created in __init__ (logged on TensorFlow and PyTorch; JAX, which cannot update a metric in call(), trains without it)', safe: false, edits };
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute') {
    return;
  }
  const method = calleeName(parts.fn, ctx);
  const receiver = child(parts.fn, 'object');
  if (!receiver) {
    return;
  }
  const onSelf = ctx.textOf(receiver) === 'self';
  if (method === 'add_metric' && onSelf && ctx.cls?.keras) {
    ctx.report(parts.fn, ADD_METRIC_MESSAGE, trackerFix(node, parts, ctx));
    return;
  }
  if (method === 'add_metric' && !onSelf && ctx.isLayerInstance(receiver)) {
    const symbolic = kerasMethodName(ctx) === null && parts.positional.length > 0 && ctx.isSymbolic(parts.positional[0]);
    ctx.report(parts.fn, ADD_METRIC_MESSAGE, symbolic ? functionalFix(node, parts, receiver, 'add_metric', ctx) : null);
    return;
  }
  // Keras 2 took zero-argument callables (`add_loss(lambda: ...)`) for weight penalties.
  if (method === 'add_loss' && parts.positional[0]?.type === 'lambda') {
    ctx.report(parts.fn, 'Keras 3 `add_loss()` takes tensors only; a callable loss is rejected. Add the penalty from a layer\'s `call()`, or use a regularizer.');
    return;
  }
  if (method === 'add_loss' && !onSelf && kerasMethodName(ctx) === null) {
    if (parts.positional.some(a => ctx.isSymbolic(a))) {
      ctx.report(
        parts.fn,
        'Keras 3 accepts `add_loss()` only inside a layer\'s `call()`; a symbolic loss added to a Functional model fails (NotImplementedError). Add it from a custom layer whose `call()` does `self.add_loss(...)` and rebuild the model on that layer\'s output.',
        functionalFix(node, parts, receiver, 'add_loss', ctx)
      );
    }
  }
}

export const removedLossMetricApi: RuleDefinition = {
  code: 'KM124',
  name: 'removed-loss-metric-api',
  slug: 'removed-features',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: ['add_metric', 'add_loss'],
  docs: {
    whatItDoes:
      'Flags `Layer.add_metric()` calls, `model.add_loss(<symbolic tensor>)` and `model.add_metric(<symbolic tensor>)` on a Functional model, and callable losses (`add_loss(lambda: ...)`).',
    why:
      'Keras 3 removed `add_metric()` (calling it raises NotImplementedError) and symbolic `add_loss()`: `add_loss()` works only inside a layer\'s `call()` (guide section "Removed features"), a Functional model\'s `add_loss`/`add_metric` raise NotImplementedError on every backend. ' +
      'The suggested fix for a symbolic `model.add_loss(x)` moves the loss into a small `AddLoss` layer whose `call()` adds it and rebuilds the model on that layer (runs on TensorFlow, JAX and PyTorch). ' +
      'For `add_metric` the suggested fix tracks the value with a `keras.metrics.Mean` updated in `call()` (in the layer, or in an `AddMetric` layer for a Functional model), logged on TensorFlow and PyTorch. JAX\'s stateless training step cannot update a metric inside `call()` (KM215), so the tracker is created and updated only when `keras.backend.backend() != "jax"`: on JAX the program runs and trains without the metric, as the Keras team\'s own Keras 3 port of the endpoint-layer example does (it drops the metric).',
    example:
      'import keras\ninputs = keras.Input((4,))\noutputs = keras.layers.Dense(2)(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel.add_loss(keras.ops.mean(outputs))',
    useInstead:
      'import keras\nclass AddLoss(keras.layers.Layer):\n    def call(self, outputs, loss):\n        self.add_loss(loss)\n        return outputs\n\ninputs = keras.Input((4,))\noutputs = keras.layers.Dense(2)(inputs)\nmodel = keras.Model(inputs, outputs)\nmodel = keras.Model(model.inputs, AddLoss()(model.outputs, keras.ops.mean(outputs)), name=model.name)'
  },
  calls: { names: ['add_metric', 'add_loss'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['add_metric', 'add_loss'],
  visitors: { call: visit }
};
