import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue } from '../rule-helpers';

/** Noted where the program writes an `"lr"` key itself (`logs["lr"] = ...` in its own callback). */
const WRITES_LR_KEY = 'writes-lr-log-key';

const LR_STRING = /^(['"])lr\1$/;
/** The epoch logs a callback receives, or a History's dict (`history.history`, `model.history.history`). */
const LOGS = /^(logs|\w+(\.\w+)*\.history)$/;
const OPTIMIZER = /(^|\.)(optimizer|opt|optim)$/;

function keyEdit(key: SyntaxNode, ctx: RuleContext): { start: number; end: number; text: string } {
  const quote = ctx.textOf(key)[0];
  return { start: key.start, end: key.end, text: `${quote}learning_rate${quote}` };
}

function visitSubscript(node: SyntaxNode, ctx: RuleContext): void {
  const value = child(node, 'value');
  const key = child(node, 'subscript');
  if (!value || !key || key.type !== 'string' || !LR_STRING.test(ctx.textOf(key)) || !LOGS.test(ctx.textOf(value).replace(/\s+/g, ''))) {
    return;
  }
  const parent = node.parent;
  if (parent && (parent.type === 'assignment' || parent.type === 'augmented_assignment') && child(parent, 'left') === node) {
    ctx.note(WRITES_LR_KEY);
    if (ctx.cls) {
      ctx.note(`${WRITES_LR_KEY}:${ctx.cls.name}`);
    }
    return;
  }
  report(key, ctx, false, true, historyCondition(value, ctx));
}

/**
 * For `history.history["lr"]` where `history = model.fit(..., callbacks=[...])` in the cell: the
 * condition that none of the program's own callback classes that fit was given writes `"lr"`
 * (Géron's ExponentialDecay callback, given to another fit, once silenced the finding program-wide:
 * og48a repro_4). Keras's own callbacks write `"learning_rate"`. Undefined where the fit is not found.
 */
function historyCondition(value: SyntaxNode, ctx: RuleContext): string | undefined {
  const holder = value.type === 'attribute' ? child(value, 'object') : null;
  if (holder?.type !== 'identifier' || ctx.textOf(child(value, 'attribute') ?? value) !== 'history') {
    return undefined;
  }
  const fit = lastAssignedValue(ctx.textOf(holder), holder, ctx);
  const parts = fit?.type === 'call' ? callParts(fit, ctx) : null;
  if (!parts || parts.splat || parts.fn.type !== 'attribute' || ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn) !== 'fit') {
    return undefined;
  }
  const callbacks = parts.keywords.get('callbacks')?.value;
  if (!callbacks) {
    return '';
  }
  const list = callbacks.type === 'identifier' ? lastAssignedValue(ctx.textOf(callbacks), callbacks, ctx) : callbacks;
  if (!list || (list.type !== 'list' && list.type !== 'tuple')) {
    return undefined;
  }
  const own: string[] = [];
  for (const item of list.children.filter(c => c.type !== 'comment')) {
    const made = item.type === 'identifier' ? lastAssignedValue(ctx.textOf(item), item, ctx) : item;
    const fn = made?.type === 'call' ? child(made, 'function') : null;
    if (!fn) {
      return undefined; // a callback of unknown origin
    }
    if (!ctx.resolveKeras(fn)) {
      own.push(ctx.textOf(fn));
    }
  }
  return own.map(name => `!anywhere:${WRITES_LR_KEY}:${name}`).join(' & ');
}

function report(key: SyntaxNode, ctx: RuleContext, viaGet = false, getFails = true, condition?: string): void {
  const message = viaGet
    ? `Keras 3 logs the learning rate as \`"learning_rate"\`: \`ReduceLROnPlateau\` and \`LearningRateScheduler\` no longer write \`"lr"\` into the epoch logs and the History, so \`.get("lr")\` returns None${getFails ? ', which the code then computes with (TypeError)' : ' (the code prints or keeps it, which runs)'}.`
    : 'Keras 3 logs the learning rate as `"learning_rate"`: `ReduceLROnPlateau` and `LearningRateScheduler` no longer write `"lr"` into the epoch logs and the History, so reading `"lr"` raises KeyError.';
  ctx.report(
    key,
    message,
    { title: 'Read `"learning_rate"`', safe: true, edits: [keyEdit(key, ctx)] },
    undefined,
    condition === undefined ? '!anywhere:' + WRITES_LR_KEY : condition || undefined,
    getFails ? undefined : []
  );
}

/** Calls that raise TypeError on None. */
const NUMERIC_CALLS = /^(float|int|round|abs|(math|np|numpy)\.\w+)$/;

/** Whether the value at `node` is computed with where None raises: arithmetic, an order comparison, `float()`, a format spec. */
function numericUse(node: SyntaxNode, ctx: RuleContext): boolean {
  const parent = node.parent;
  if (!parent) {
    return false;
  }
  if (parent.type === 'parenthesized_expression') {
    return numericUse(parent, ctx);
  }
  if (parent.type === 'binary_operator' || parent.type === 'unary_operator' || parent.type === 'augmented_assignment') {
    return true;
  }
  if (parent.type === 'comparison_operator') {
    return /[<>]/.test(ctx.textOf(parent).replace(ctx.textOf(node), ''));
  }
  if (parent.type === 'argument_list' && parent.parent?.type === 'call') {
    const fn = child(parent.parent, 'function');
    return !!fn && NUMERIC_CALLS.test(ctx.textOf(fn));
  }
  return false;
}

/**
 * Whether `logs.get("lr")` (no default) fails: its None is computed with there, or through the name
 * it is assigned to (`lr = logs.get("lr")`, then `f"{lr:.4f}"`), later in the same function or cell.
 */
function getResultFails(call: SyntaxNode, ctx: RuleContext): boolean {
  if (numericUse(call, ctx)) {
    return true;
  }
  const parent = call.parent;
  const left = parent?.type === 'assignment' && child(parent, 'right') === call ? child(parent, 'left') : null;
  if (!left || left.type !== 'identifier') {
    return false;
  }
  const name = ctx.textOf(left);
  // A format specifier (an f-string's `{lr:.4f}`) is read from the string's text.
  const formatted = new RegExp(`\\{\\s*${name}\\s*(![rsa])?\\s*:`);
  let scope: SyntaxNode = ctx.fn?.node ?? call;
  while (!ctx.fn && scope.parent) {
    scope = scope.parent;
  }
  const stack = [scope];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'identifier' && n.start > call.end && ctx.textOf(n) === name && numericUse(n, ctx)) {
      return true;
    }
    if (n.type === 'string' && n.start > call.end && /^[rbu]*f/i.test(ctx.textOf(n)) && formatted.test(ctx.textOf(n))) {
      return true;
    }
    stack.push(...n.children);
  }
  return false;
}

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat) {
    return;
  }
  const fnText = ctx.textOf(parts.fn);
  const [first, second] = parts.positional;
  // `logs.get("lr")`, `history.history.get("lr")`
  if (parts.fn.type === 'attribute' && fnText.endsWith('.get') && first?.type === 'string' && LR_STRING.test(ctx.textOf(first))) {
    if (LOGS.test(fnText.slice(0, -4).replace(/\s+/g, ''))) {
      // `.get("lr")` returns None (or the default) on Keras 3: it fails only where that None is computed with.
      report(first, ctx, true, parts.positional.length === 1 && getResultFails(node, ctx));
    }
    return;
  }
  if ((fnText !== 'hasattr' && fnText !== 'getattr') || !first || !second || second.type !== 'string' || !LR_STRING.test(ctx.textOf(second))) {
    return;
  }
  if (!OPTIMIZER.test(ctx.textOf(first).replace(/\s+/g, ''))) {
    return;
  }
  const edit = keyEdit(second, ctx);
  if (fnText === 'getattr') {
    // Without a default, getattr raises AttributeError on Keras 3: renaming only makes it work.
    const safe = parts.positional.length === 2;
    // With a default, getattr returns it and nothing fails there.
    ctx.report(
      second,
      safe ? 'Keras 3 optimizers have no `lr` attribute, only `learning_rate`.' : 'Keras 3 optimizers have no `lr` attribute, only `learning_rate`: this `getattr` returns its default.',
      { title: 'Use `"learning_rate"`', safe, edits: [edit] },
      undefined,
      undefined,
      safe ? undefined : []
    );
    return;
  }
  // hasattr(...) is False on Keras 3: nothing fails, but the branch Keras 2 took is skipped.
  ctx.report(
    second,
    '`hasattr(optimizer, "lr")` is False on Keras 3 (optimizers only have `learning_rate`): the code Keras 2 ran behind it is skipped or raises.',
    { title: 'Use `"learning_rate"`', safe: false, edits: [edit] },
    undefined,
    undefined,
    []
  );
}

export const learningRateKey: RuleDefinition = {
  code: 'KM201',
  name: 'learning-rate-key',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  // A plotting cell reading `history.history["lr"]` may bind nothing from Keras.
  triggers: ['lr'],
  docs: {
    whatItDoes:
      'Flags the `"lr"` spelling of the learning rate where Keras 3 only knows `"learning_rate"`: `history.history["lr"]` and `logs["lr"]`/`logs.get("lr")` (written by `ReduceLROnPlateau` and `LearningRateScheduler`), and `hasattr`/`getattr(optimizer, "lr")`.',
    why:
      'Keras 3 callbacks log `logs["learning_rate"]` (Keras 2 logged `"lr"`), so `history.history["lr"]` raises KeyError (and `logs.get("lr")` returns None, which fails only where the code computes with it: arithmetic, `float()`, a format spec; printing it runs, so that finding blocks no backend), and Keras 3 optimizers have no `lr` attribute: `hasattr(optimizer, "lr")` is False and `getattr(optimizer, "lr")` raises AttributeError (checked on Keras 3.15). Renaming a key read is safe unless the program writes an `"lr"` key itself (then nothing is reported); renaming in `hasattr` changes which branch runs, so it is a suggestion.',
    example: 'import keras\nhistory = model.fit(x, y, callbacks=[keras.callbacks.ReduceLROnPlateau()])\nprint(history.history["lr"])',
    useInstead: 'import keras\nhistory = model.fit(x, y, callbacks=[keras.callbacks.ReduceLROnPlateau()])\nprint(history.history["learning_rate"])'
  },
  // Findings are on an `"lr"` string (a key, or `getattr`/`hasattr`'s name).
  requires: ['lr'],
  visitors: { subscript: visitSubscript, call: visitCall }
};
