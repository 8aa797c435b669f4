import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, calleeName, escapeRegExp, lastAssignedValue, lineStartAt } from '../rule-helpers';

/** Receivers that may be recurrent layers, which still have `reset_states()` in Keras 3. */
const MAYBE_RNN = /lstm|gru|rnn|recurrent|cell|layer/i;
const MODEL_NAME = /model|net$|network|^clf$|encoder|decoder/i;

/**
 * Whether the receiver is surely a Keras metric: the cell assigns it a `...metrics.X(...)` object
 * (`self.loss_tracker = keras.metrics.Mean()`), or it is the variable of a loop over `.metrics`.
 */
function assignedMetric(receiver: string, node: SyntaxNode, ctx: RuleContext): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'for_statement') {
      const left = child(p, 'left');
      const right = child(p, 'right');
      if (left && right && ctx.textOf(left) === receiver && /\.metrics$/.test(ctx.textOf(right).replace(/\s+/g, ''))) {
        return true;
      }
    }
  }
  const pattern = new RegExp(`(^|[^\\w.])${escapeRegExp(receiver)}\\s*=\\s*(\\w+\\.)*metrics\\.[A-Z]\\w*\\(`, 'm');
  return pattern.test(ctx.text);
}

/**
 * `model.reset_states()` as a statement of its own -> the loop Keras 2's `Model.reset_states()`
 * ran: every stateful layer of the model resets its states. Safe when the receiver is surely a
 * Keras model (assigned one in this block).
 */
function modelResetFix(call: SyntaxNode, receiver: string, safe: boolean, ctx: RuleContext) {
  const statement = call.parent;
  if (!statement || statement.type !== 'expression_statement' || statement.children.length !== 1) {
    return null;
  }
  const lineStart = lineStartAt(ctx.text, statement.start);
  const indent = ctx.text.slice(lineStart, statement.start);
  if (!/^[ \t]*$/.test(indent)) {
    return null; // `x = 1; model.reset_states()`: not on a line of its own
  }
  const step = indent.includes('\t') ? '\t' : '    ';
  const text = `for layer in ${receiver}.layers:\n${indent}${step}if getattr(layer, "stateful", False):\n${indent}${step}${step}layer.reset_states()`;
  return { title: 'Reset the stateful layers of the model', safe, edits: [{ start: statement.start, end: statement.end, text }] };
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.fn.type !== 'attribute' || calleeName(parts.fn, ctx) !== 'reset_states' || ctx.resolve(parts.fn)) {
    return;
  }
  const receiver = child(parts.fn, 'object');
  if (!receiver || parts.positional.length > 0 || parts.keywords.size > 0) {
    return;
  }
  const text = ctx.textOf(receiver).replace(/\s+/g, '');
  if (text === 'self' || text === 'super()' || MAYBE_RNN.test(text)) {
    return;
  }
  const attr = parts.fn.children[parts.fn.children.length - 1];
  // `model.reset_states()`, `self.model.reset_states()` in a callback: Keras 3 models have none.
  const built = receiver.type === 'identifier' ? lastAssignedValue(text, node, ctx) : null;
  const builtFn = built && built.type === 'call' ? child(built, 'function') : null;
  const surelyModel = !!builtFn && ctx.kerasKindOfClass(builtFn) === 'model';
  if (surelyModel || MODEL_NAME.test(text.slice(text.lastIndexOf('.') + 1))) {
    ctx.report(
      attr,
      `Keras 3 models have no \`reset_states()\`; reset the recurrent layers that have state, e.g. \`for layer in ${text}.layers: layer.reset_states()\` for stateful RNNs.`,
      modelResetFix(node, text, surelyModel, ctx)
    );
    return;
  }
  if (ctx.isLayerInstance(receiver)) {
    return; // a layer instance: possibly a stateful RNN, which keeps reset_states()
  }
  const safe = assignedMetric(text, node, ctx);
  if (!safe) {
    ctx.note(CALLS_OWN_RESET_STATES);
  }
  const fix = {
    title: 'Use `reset_state()`',
    // Safe only when this cell shows the receiver is a Keras metric; anything else may be an
    // object of the user's own with its own `reset_states`.
    safe,
    edits: [{ start: attr.start, end: attr.end, text: 'reset_state' }]
  };
  const message = `\`${text}.reset_states()\` is gone in Keras 3: metrics have \`reset_state()\`.`;
  if (safe) {
    ctx.report(attr, message, fix);
    return;
  }
  ctx.report(attr, message, fix, undefined, '!anywhere:' + DEFINES_RESET_STATES);
  // The program's own metric class defines reset_states(): the call may reach it and run.
  ctx.report(attr, message + ' (It runs while the object is one of this program\'s metrics that defines `reset_states()`.)', fix, undefined, 'anywhere:' + DEFINES_RESET_STATES, []);
}

/** Noted where a custom Keras metric class defines `reset_states()`. */
const DEFINES_RESET_STATES = 'metric-defines-reset-states';

/**
 * Noted where the program calls `x.reset_states()` on an object not surely a Keras metric (it may
 * be an instance of a custom metric defining `reset_states`, which renaming that method breaks).
 */
const CALLS_OWN_RESET_STATES = 'calls-reset-states-on-own-object';

/** `def reset_states(self)` in a Metric subclass: Keras 3 never calls it. */
function visitFunction(node: SyntaxNode, ctx: RuleContext): void {
  const name = child(node, 'name');
  const cls = ctx.cls;
  if (!name || ctx.textOf(name) !== 'reset_states' || !cls || cls.keras !== 'component') {
    return;
  }
  const body = node.parent?.type === 'decorated_definition' ? node.parent.parent : node.parent;
  if (!body || body.parent !== cls.node) {
    return;
  }
  const definesResetState = body.children.some(c => {
    const def = c.type === 'decorated_definition' ? c.children[c.children.length - 1] : c;
    const n = def.type === 'function_definition' ? child(def, 'name') : null;
    return n !== null && ctx.textOf(n) === 'reset_state';
  });
  ctx.note(DEFINES_RESET_STATES);
  const message = `Keras 3 metrics call \`reset_state()\`, never this \`reset_states()\` override: \`${cls.name}\` is reset by the default \`reset_state()\` (which zeroes its variables) instead.`;
  // Nothing fails as written (the default reset runs), so the finding blocks no backend.
  if (definesResetState) {
    ctx.report(name, message, null, undefined, undefined, []);
    return;
  }
  const fix = { title: 'Rename to `reset_state`', safe: true, edits: [{ start: name.start, end: name.end, text: 'reset_state' }] };
  ctx.report(name, message, fix, undefined, '!anywhere:' + CALLS_OWN_RESET_STATES, []);
  // A `metric.reset_states()` call elsewhere may reach this method: after the rename it would
  // raise AttributeError unless that call is renamed too (a suggestion), so this one is one as well.
  ctx.report(
    name,
    message + ' The program also calls `reset_states()` on its own objects: rename those calls together with this method.',
    { ...fix, safe: false },
    undefined,
    'anywhere:' + CALLS_OWN_RESET_STATES,
    []
  );
}

export const resetStates: RuleDefinition = {
  code: 'KM170',
  name: 'reset-states',
  slug: 'api-changes',
  severity: 'error',
  fixAvailability: 'sometimes',
  triggers: ['reset_states'],
  docs: {
    whatItDoes:
      'Flags `metric.reset_states()` calls, `model.reset_states()` on models, and `reset_states()` methods defined in custom metrics. Receivers that may be recurrent layers (which keep `reset_states()`) are left alone.',
    why:
      'Keras 3 metrics only have `reset_state()`, so `reset_states()` raises AttributeError, and a custom metric that overrides `reset_states()` is silently never reset. Models lost the method too. Not covered by the migration guide. Renaming a metric method is safe (Keras 2 forwarded one name to the other); renaming a call is safe when the cell shows the object is a Keras metric.',
    example: 'train_loss = keras.metrics.Mean()\nfor epoch in range(3):\n    train_loss.reset_states()',
    useInstead: 'train_loss = keras.metrics.Mean()\nfor epoch in range(3):\n    train_loss.reset_state()'
  },
  calls: { names: ['reset_states'] },
  visitors: { call: visitCall, function_definition: visitFunction }
};
