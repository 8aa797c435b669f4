/**
 * What it does: flags random noise added to target labels made of ones (`labels += 0.05 *
 * tf.random.uniform(tf.shape(labels))`, keras.io DCGAN's label trick) in a program whose binary
 * cross-entropy takes probabilities (`BinaryCrossentropy()` without `from_logits=True`).
 * Why: the noise pushes the ones above 1. TensorFlow and JAX compute a cross-entropy from such
 * targets; PyTorch's `binary_cross_entropy` rejects them ("all elements of target should be
 * between 0 and 1"), so training fails on PyTorch only.
 * Example: `labels += 0.05 * tf.random.uniform(tf.shape(labels))`
 * Use instead: `labels += 0.05 * tf.random.uniform(tf.shape(labels))` then
 * `labels = keras.ops.clip(labels, 0.0, 1.0)` (or logits and `from_logits=True`).
 */
import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, lastAssignedValue, lineStartAt, withKerasImport } from '../rule-helpers';

/** Noted where a binary cross-entropy takes probabilities (no `from_logits=True`). */
const BCE_ON_PROBABILITIES = 'binary-crossentropy-on-probabilities';

const BCE = /^keras\.(losses|metrics)\.(BinaryCrossentropy|binary_crossentropy)$|^keras\.backend\.binary_crossentropy$/;
const RANDOM = /^(keras\.random|tensorflow\.random|numpy\.random)\.\w+$|^tensorflow\.compat\.v1\.random\.\w+$/;
const ONES = /^(tensorflow|keras\.ops|numpy)\.(ones|ones_like)$/;
const JOINS = /^(tensorflow|keras\.ops|numpy)\.(concat|concatenate|stack|vstack)$/;

function visitCall(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  if (BCE.test(ctx.resolveKeras(parts.fn) ?? '')) {
    const fromLogits = parts.keywords.get('from_logits')?.value;
    if (!fromLogits || ctx.textOf(fromLogits) === 'False') {
      ctx.note(BCE_ON_PROBABILITIES);
    }
    return;
  }
  // `model.compile(loss="binary_crossentropy")`, `loss=keras.losses.binary_crossentropy`: on probabilities.
  if (parts.fn.type === 'attribute' && ctx.textOf(child(parts.fn, 'attribute')!) === 'compile') {
    const loss = parts.keywords.get('loss')?.value ?? parts.positional[1];
    const text = loss ? ctx.textOf(loss) : '';
    if (/^["'](binary_crossentropy|bce)["']$/.test(text) || (loss && /^keras\.(losses|metrics)\.binary_crossentropy$/.test(ctx.resolveKeras(loss) ?? ''))) {
      ctx.note(BCE_ON_PROBABILITIES);
    }
  }
}

/** Whether the statement after `statement` already clips `name` (`name = keras.ops.clip(name, ...)`). */
function clippedNext(statement: SyntaxNode, name: string, ctx: RuleContext): boolean {
  const siblings = statement.parent ? statement.parent.children : [];
  const next = siblings.slice(siblings.indexOf(statement) + 1).find(c => c.type !== 'comment');
  return !!next && new RegExp(`^${name}\\s*=\\s*[\\w.]*clip`).test(ctx.textOf(next));
}

/** Whether an expression holds a call of a random function (the noise). */
function hasRandomDraw(node: SyntaxNode, ctx: RuleContext, depth = 0): boolean {
  if (depth > 6) {
    return false;
  }
  if (node.type === 'call') {
    const fn = child(node, 'function');
    if (fn && RANDOM.test(ctx.resolve(fn) ?? '')) {
      return true;
    }
  }
  return node.children.some(c => hasRandomDraw(c, ctx, depth + 1));
}

/** Whether a value is made of ones: `tf.ones(...)`, or a concatenation/stack of a list holding them. */
function holdsOnes(value: SyntaxNode, ctx: RuleContext): boolean {
  if (value.type !== 'call') {
    return false;
  }
  const fn = child(value, 'function');
  const name = fn ? ctx.resolve(fn) ?? '' : '';
  if (ONES.test(name)) {
    return true;
  }
  if (!JOINS.test(name)) {
    return false;
  }
  const parts = callParts(value, ctx);
  const items = parts?.positional[0] ?? parts?.keywords.get('values')?.value;
  return !!items && (items.type === 'list' || items.type === 'tuple') && items.children.some(c => holdsOnes(c, ctx));
}

function visitStatement(node: SyntaxNode, ctx: RuleContext): void {
  const left = child(node, 'left');
  const right = child(node, 'right');
  if (!left || !right || left.type !== 'identifier') {
    return;
  }
  const name = ctx.textOf(left);
  let noise: SyntaxNode | null = null;
  if (node.type === 'augmented_assignment') {
    noise = /^\+=|^-=/.test(ctx.text.slice(left.end, right.start).trim()) ? right : null;
  } else if (right.type === 'binary_operator') {
    const [a, b] = right.children;
    noise = a && b && a.type === 'identifier' && ctx.textOf(a) === name ? b : null;
  }
  if (!noise || !hasRandomDraw(noise, ctx)) {
    return;
  }
  const before = lastAssignedValue(name, node, ctx);
  if (!before || !holdsOnes(before, ctx)) {
    return;
  }
  const statement = node.parent && node.parent.type === 'expression_statement' ? node.parent : node;
  if (clippedNext(statement, name, ctx)) {
    return;
  }
  const indent = ctx.text.slice(lineStartAt(ctx.text, statement.start), statement.start);
  if (!/^[ \t]*$/.test(indent)) {
    return;
  }
  const edits = withKerasImport(ctx, [{ start: statement.end, end: statement.end, text: `\n${indent}${name} = keras.ops.clip(${name}, 0.0, 1.0)` }]);
  ctx.report(
    statement,
    `The noise added to \`${name}\` pushes its ones above 1. TensorFlow and JAX compute a binary cross-entropy from such targets; PyTorch's rejects them ("all elements of target should be between 0 and 1") when the loss takes probabilities. Clip the noisy targets to [0, 1], or give the loss logits (\`from_logits=True\`, no sigmoid).`,
    { title: `Clip \`${name}\` to [0, 1] after the noise`, safe: false, edits },
    undefined,
    'anywhere:' + BCE_ON_PROBABILITIES
  );
}

export const noisyTargetsForBinaryCrossentropy: RuleDefinition = {
  code: 'KM239',
  name: 'noisy-targets-for-binary-crossentropy',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * Checked by running Keras 3.15.1: BinaryCrossentropy() of targets 1 + 0.05 * uniform noise
   * computes a loss on TensorFlow and JAX and raises "all elements of target should be between 0
   * and 1" on PyTorch; with from_logits=True, or the targets clipped, all three compute it.
   */
  blocks: ['torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags random noise added to target labels made of ones (`labels += 0.05 * tf.random.uniform(tf.shape(labels))` after `labels = tf.concat([tf.ones(...), tf.zeros(...)], 0)`, keras.io DCGAN\'s label trick) when the program has a binary cross-entropy on probabilities (`BinaryCrossentropy()` or `binary_crossentropy` without `from_logits=True`). The suggested fix clips the targets to [0, 1] right after the noise.',
    why:
      'The noise pushes the ones above 1. TensorFlow (as Keras 2 did) and JAX compute a cross-entropy from such targets; PyTorch\'s `binary_cross_entropy` rejects any target outside [0, 1] with "RuntimeError: all elements of target should be between 0 and 1", so the training step fails on PyTorch only (checked on Keras 3.15.1; with `from_logits=True` PyTorch computes it). Clipping changes the loss slightly on TensorFlow and JAX (the real labels stay at 1), so the fix is a suggestion. Not covered by the migration guide.',
    example:
      'import tensorflow as tf\nfrom tensorflow import keras\nloss_fn = keras.losses.BinaryCrossentropy()\nlabels = tf.concat([tf.ones((4, 1)), tf.zeros((4, 1))], axis=0)\nlabels += 0.05 * tf.random.uniform(tf.shape(labels))',
    useInstead:
      'import tensorflow as tf\nfrom tensorflow import keras\nloss_fn = keras.losses.BinaryCrossentropy(from_logits=True)\nlabels = tf.concat([tf.ones((4, 1)), tf.zeros((4, 1))], axis=0)\nlabels += 0.05 * tf.random.uniform(tf.shape(labels))'
  },
  calls: { names: ['BinaryCrossentropy', 'binary_crossentropy', 'compile'] },
  // Findings hold only where a binary cross-entropy on probabilities was noted.
  requires: ['BinaryCrossentropy', 'binary_crossentropy', 'bce'],
  visitors: { call: visitCall, augmented_assignment: visitStatement, assignment: visitStatement }
};
