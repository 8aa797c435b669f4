/**
 * single-loss-with-loss-weights (KM299)
 *
 * What it does: flags `compile(loss=L, loss_weights=[w1, w2, ...])` (or a dict of weights) where `L`
 * is one loss (a string, a Keras loss, a function) and there are two or more weights.
 *
 * Why: Keras 2 applied the one loss to every output and weighted each. Keras 3 counts the losses
 * against the weights and raises "`loss_weights` must match the number of losses, got 1 losses
 * and 2 weights." on every backend (og48a repro_1, Géron's handson-ml2 WideAndDeepModel;
 * claims/single_loss_with_loss_weights.py).
 *
 * Fix: the loss once per weight, `loss=["mse", "mse"]` (a dict with the weights' keys for a dict):
 * what Keras 2 computed. Safe.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue } from '../helpers/calls';

/** The weights as written: the literal list/tuple/dict, or the one a name was last assigned. */
function weightsLiteral(value: SyntaxNode, ctx: RuleContext): SyntaxNode | null {
  const literal = value.type === 'identifier' ? lastAssignedValue(ctx.textOf(value), value, ctx) : value;
  return literal && ['list', 'tuple', 'dictionary'].includes(literal.type) ? literal : null;
}

/** The keys of a dict of weights, as written (`"main"`), or null when one is not a plain string. */
function dictKeys(dict: SyntaxNode, ctx: RuleContext): string[] | null {
  const keys: string[] = [];
  for (const pair of dict.children) {
    if (pair.type === 'comment') {
      continue;
    }
    const key = pair.type === 'pair' ? child(pair, 'key') : null;
    if (!key || key.type !== 'string') {
      return null;
    }
    keys.push(ctx.textOf(key));
  }
  return keys;
}

/**
 * Whether `loss` is certainly one loss, not a list or dict of them: a string, a `keras.losses` name or
 * instance, a lambda, or a name last assigned one of these or defined as a function in the cell.
 */
function isOneLoss(loss: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (loss.type === 'string' || loss.type === 'lambda') {
    return true;
  }
  const target = loss.type === 'call' ? child(loss, 'function') : loss;
  if (target && (target.type === 'attribute' || target.type === 'identifier')) {
    const name = ctx.resolveKeras(target) ?? ctx.resolve(target) ?? '';
    if (/^(keras|tensorflow\.keras|tensorflow)\.losses\.\w+$/.test(name)) {
      return true;
    }
  }
  if (loss.type !== 'identifier' || depth > 2) {
    return false;
  }
  const assigned = lastAssignedValue(ctx.textOf(loss), loss, ctx);
  if (assigned) {
    return isOneLoss(assigned, ctx, depth + 1);
  }
  // `def my_loss(y_true, y_pred)` of the cell.
  return new RegExp(`^[ \\t]*def[ \\t]+${ctx.textOf(loss)}[ \\t]*\\(`, 'm').test(ctx.text);
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || parts.fn.type !== 'attribute' || ctx.textOf(child(parts.fn, 'attribute') ?? parts.fn) !== 'compile') {
    return;
  }
  const weightsArg = parts.keywords.get('loss_weights')?.value;
  // compile(optimizer, loss, metrics, loss_weights): loss is the second positional argument.
  const lossArg = parts.keywords.get('loss')?.value ?? parts.positional[1];
  const weights = weightsArg ? weightsLiteral(weightsArg, ctx) : null;
  if (!weights || !lossArg || !isOneLoss(lossArg, ctx)) {
    return;
  }
  const loss = ctx.textOf(lossArg);
  let text: string;
  if (weights.type === 'dictionary') {
    const keys = dictKeys(weights, ctx);
    if (!keys || keys.length < 2) {
      return;
    }
    text = `{${keys.map(k => `${k}: ${loss}`).join(', ')}}`;
  } else {
    const count = itemsOf(weights).length;
    if (count < 2) {
      return;
    }
    text = `[${Array(count).fill(loss).join(', ')}]`;
  }
  const shown = text.length > 60 ? `[${loss}, ...]` : text;
  ctx.report(
    lossArg,
    `Keras 2 applied this one loss to every output, weighted by \`loss_weights\`; Keras 3 counts the losses against the weights and raises "\`loss_weights\` must match the number of losses" on every backend. Give the loss once per output: \`loss=${shown}\`.`,
    { title: `Use \`loss=${shown}\``, safe: true, edits: [{ start: lossArg.start, end: lossArg.end, text }] },
    undefined,
    undefined,
    ['tensorflow', 'jax', 'torch']
  );
}

export const singleLossWithLossWeights: RuleDefinition = {
  code: 'KM299',
  name: 'single-loss-with-loss-weights',
  slug: 'api-changes',
  severity: 'error',
  /** ValueError on TensorFlow, JAX and PyTorch (Keras 3.15; claims/single_loss_with_loss_weights.py). */
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: ['loss_weights'],
  docs: {
    whatItDoes:
      'Flags `compile()` given one loss (a string, a Keras loss, a lambda or a function of the cell) together with a list, tuple or dict of two or more `loss_weights`.',
    why:
      'Keras 2 applied a single loss to every output of a multi-output model and weighted each by `loss_weights`. Keras 3 matches losses and weights one to one and raises "`loss_weights` must match the number of losses, got 1 losses and 2 weights." on every backend (checked on Keras 3.15). Writing the loss once per weight (a dict with the same keys for a dict of weights) computes what Keras 2 did: a safe fix.',
    example: 'model.compile(loss="mse", loss_weights=[0.9, 0.1], optimizer="sgd")',
    useInstead: 'model.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer="sgd")'
  },
  calls: { names: ['compile'] },
  requires: ['loss_weights'],
  visitors: { call: visit }
};
