/**
 * sequence-float64-batches (KM302)
 *
 * What it does: flags `np.empty(shape)`, `np.zeros(shape)` and `np.ones(shape)` (no dtype) made in a
 * `keras.utils.Sequence` (or `PyDataset`) subclass and returned by the method that makes them: the
 * batches the dataset hands to `fit()` are float64 arrays.
 *
 * Why: Keras 2's `fit()` cast float64 NumPy batches, inputs and targets alike, to float32 (the
 * float type of the model). Keras 3 passes float64 targets on as they are. A loss or train step
 * that mixes the targets with the float32 predictions by Python operators or TensorFlow ops then
 * fails on TensorFlow ("Input 'y' of 'Mul' Op has type float64 that does not match type float32"),
 * where Keras 2 trained; JAX and PyTorch promote the types.
 *
 * Example:
 *   class Batches(keras.utils.Sequence):
 *       def __getitem__(self, i):
 *           y = np.empty((8, 32, 32, 1))
 *           ...
 *           return x, y
 *
 * Use instead: `np.empty((8, 32, 32, 1), dtype="float32")`, the batches Keras 2 trained on.
 *
 * Claims TensorFlow for an array the dataset returns after the first (the targets of `return x, y`)
 * when a `train_step` / `test_step` of the notebook takes its targets apart from the data
 * (`x, y = data`) and mixes them with its predictions (`pred = self(x)`): a Python operator
 * (`y - pred`) or a `tf.` op given both (`tf.image.ssim(y, pred)`), in the step or in a method of
 * its class it passes both to. A compiled loss or metric casts the targets itself: no claim.
 *
 * Fix: safe (the values Keras 2's `fit()` saw after its cast).
 */
import { child, descendants, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { appendArgument, callParts, parameterNames } from '../helpers/calls';
import { classMethodDefinitions } from '../helpers/model-code';
import { isDatasetClass } from '../helpers/dataset-classes';

/** Noted when a train_step/test_step mixes the targets it unpacks with other tensors by TF ops or operators. */
const STEP_MIXES_TARGETS = 'step-mixes-targets';
const STEPS = new Set(['train_step', 'test_step']);
/** TF calls that make a new dtype (or keep one value alone): the targets are not mixed by them. */
const CASTS = /^(tensorflow|keras)\.(cast|convert_to_tensor|ops\.cast|ops\.convert_to_tensor|dtypes\.cast)$/;

const MAKERS = /^numpy\.(empty|zeros|ones)$/;

/**
 * The names a function's `return` statements hand back (`return x, y`, `return (x, y)`, `return x`),
 * each with whether it is returned after the first element of a tuple (the targets of `return x, y`).
 */
function returnedNames(fn: SyntaxNode, ctx: RuleContext): Map<string, boolean> {
  const names = new Map<string, boolean>();
  const add = (v: SyntaxNode, later: boolean): void => {
    if (v.type === 'identifier') {
      names.set(ctx.textOf(v), later || (names.get(ctx.textOf(v)) ?? false));
    } else if (v.type === 'tuple' || v.type === 'expression_list' || v.type === 'parenthesized_expression' || v.type === 'list') {
      v.children.forEach((c, i) => add(c, later || (v.type !== 'parenthesized_expression' && i > 0)));
    }
  };
  for (const n of descendants(fn)) {
    if (n.type === 'return_statement') {
      n.children.forEach(c => add(c, false));
    }
  }
  return names;
}

/** Whether an expression mentions one of `names` (the predictions). */
function mentions(node: SyntaxNode, names: ReadonlySet<string>, ctx: RuleContext): boolean {
  for (const n of descendants(node)) {
    if (n.type === 'identifier' && names.has(ctx.textOf(n)) && !(n.parent?.type === 'attribute' && n.field === 'attribute')) {
      return true;
    }
  }
  return false;
}

/**
 * Whether `name` (the targets) meets the predictions (`preds`) in `def`: as an operand of a Python
 * operator whose other side mentions them, or as an argument of a `tf.` op beside an argument that
 * does; through `self.METHOD(..., name, ..., pred, ...)` one method deep. A cast of the targets: no.
 */
function mixesTargets(def: SyntaxNode, name: string, preds: ReadonlySet<string>, methods: Map<string, SyntaxNode>, ctx: RuleContext, depth = 0): boolean {
  let mixes = false;
  for (const n of descendants(def)) {
    if (n.type !== 'identifier' || ctx.textOf(n) !== name) {
      continue;
    }
    const parent = n.parent;
    if (!parent) {
      continue;
    }
    if (parent.type === 'binary_operator' || parent.type === 'comparison_operator') {
      if (parent.children.some(c => c !== n && mentions(c, preds, ctx))) {
        mixes = true;
      }
      continue;
    }
    if (parent.type !== 'argument_list' || !parent.parent || parent.parent.type !== 'call') {
      continue;
    }
    const callee = child(parent.parent, 'function');
    const resolved = callee ? ctx.resolve(callee) ?? '' : '';
    if (CASTS.test(resolved) || (callee?.type === 'attribute' && ctx.textOf(child(callee, 'attribute') ?? callee) === 'astype')) {
      return false;
    }
    const args = parent.children.filter(c => c.type !== 'comment');
    if (resolved.startsWith('tensorflow.')) {
      if (args.some(a => a !== n && mentions(a, preds, ctx))) {
        mixes = true;
      }
    } else if (depth === 0 && callee?.type === 'attribute' && ctx.textOf(child(callee, 'object') ?? callee) === 'self') {
      const method = methods.get(ctx.textOf(child(callee, 'attribute') ?? callee));
      const params = method ? parameterNames(method, ctx) ?? [] : [];
      const param = params[args.indexOf(n) + 1];
      const predParams = new Set(args.flatMap((a, i) => (a !== n && a.type !== 'keyword_argument' && mentions(a, preds, ctx) && params[i + 1] ? [params[i + 1]] : [])));
      if (method && param && predParams.size && mixesTargets(method, param, predParams, methods, ctx, depth + 1)) {
        mixes = true;
      }
    }
  }
  return mixes;
}

/** The names a step binds to what the model computes: `pred = self(x)`, `out = self.model(x)`. */
function predictionNames(def: SyntaxNode, ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const n of descendants(def)) {
    const left = n.type === 'assignment' ? child(n, 'left') : null;
    const right = n.type === 'assignment' ? child(n, 'right') : null;
    const callee = right && right.type === 'call' ? child(right, 'function') : null;
    const onSelf = callee && (ctx.textOf(callee) === 'self' || (callee.type === 'attribute' && ctx.textOf(child(callee, 'object') ?? callee) === 'self'));
    if (left && left.type === 'identifier' && onSelf) {
      names.add(ctx.textOf(left));
    }
  }
  return names;
}

/** Notes STEP_MIXES_TARGETS for a `train_step` / `test_step` that unpacks targets from its data and mixes them. */
function visitStep(node: SyntaxNode, ctx: RuleContext): void {
  const nameNode = child(node, 'name');
  const cls = node.parent?.parent;
  if (!nameNode || !STEPS.has(ctx.textOf(nameNode)) || !cls || cls.type !== 'class_definition') {
    return;
  }
  const data = parameterNames(node, ctx)?.[1];
  if (!data) {
    return;
  }
  for (const n of descendants(node)) {
    if (n.type !== 'assignment') {
      continue;
    }
    const left = child(n, 'left');
    const right = child(n, 'right');
    if (!left || !right || right.type !== 'identifier' || ctx.textOf(right) !== data) {
      continue;
    }
    const names = left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern' ? left.children : [];
    const target = names[1];
    if (names.length >= 2 && names.length <= 3 && target.type === 'identifier' && mixesTargets(node, ctx.textOf(target), predictionNames(node, ctx), classMethodDefinitions(cls, ctx), ctx)) {
      ctx.note(STEP_MIXES_TARGETS);
      return;
    }
  }
}

function visitClass(node: SyntaxNode, ctx: RuleContext): void {
  if (!isDatasetClass(node, ctx)) {
    return;
  }
  const body = child(node, 'body');
  for (const fn of body ? body.children : []) {
    const def = fn.type === 'decorated_definition' ? child(fn, 'definition') : fn;
    if (!def || def.type !== 'function_definition') {
      continue;
    }
    const returned = returnedNames(def, ctx);
    for (const n of descendants(def)) {
      if (n.type !== 'assignment') {
        continue;
      }
      const left = child(n, 'left');
      const right = child(n, 'right');
      if (!left || left.type !== 'identifier' || !right || right.type !== 'call' || !returned.has(ctx.textOf(left))) {
        continue;
      }
      const parts = callParts(right, ctx);
      const maker = parts ? MAKERS.exec(ctx.resolve(parts.fn) ?? '') : null;
      if (!parts || !maker || !parts.args || parts.splat || parts.positional.length !== 1 || parts.keywords.size > 0) {
        continue;
      }
      const name = ctx.textOf(left);
      // The targets (returned after the first array) fail on TensorFlow where a step mixes them.
      const target = returned.get(name) === true;
      ctx.report(
        right,
        `\`np.${maker[1]}(...)\` makes float64 arrays, and \`${name}\` is a batch this dataset returns: Keras 2's \`fit()\` cast float64 batches to float32, Keras 3 passes float64 targets on, and on TensorFlow a loss or train step that mixes them with the float32 predictions (\`y_true - y_pred\`, \`tf.image.ssim(...)\`) fails ("Input 'y' of 'Mul' Op has type float64 that does not match type float32"). Make it \`dtype="float32"\`, the batches Keras 2 trained on.`,
        { title: 'Pass `dtype="float32"` (what Keras 2\'s fit() cast the batch to)', safe: true, edits: [appendArgument(parts.args, 'dtype="float32"', ctx)] },
        undefined,
        undefined,
        target ? ['tensorflow'] : [],
        target ? { tensorflow: `anywhere:${STEP_MIXES_TARGETS}` } : undefined
      );
    }
  }
}

export const sequenceFloat64Batches: RuleDefinition = {
  code: 'KM302',
  name: 'sequence-float64-batches',
  slug: 'api-changes',
  severity: 'warning',
  /**
   * Only a step that mixes the targets with the predictions by TF ops or operators fails (on
   * TensorFlow): a finding on the targets claims TensorFlow where a train_step/test_step does.
   */
  blocks: ['tensorflow'],
  fixAvailability: 'always',
  // The arrays' makers too: a statement `y = np.empty(...)` has no Keras word of its own.
  triggers: ['Sequence', 'PyDataset', 'empty', 'zeros', 'ones', 'train_step', 'test_step'],
  docs: {
    whatItDoes:
      'Flags `np.empty(shape)`, `np.zeros(shape)` and `np.ones(shape)` without a dtype assigned to a name that a method of a `keras.utils.Sequence` (or `keras.utils.PyDataset`) subclass returns (`return x, y` in `__getitem__` or a batch-making helper): the dataset hands float64 batches to `fit()`.',
    why:
      'Keras 2\'s `fit()` cast float64 NumPy batches (inputs and targets) to float32, the model\'s float type. Keras 3 does not cast the targets: a loss or a train step that mixes float64 targets with float32 predictions by Python operators or TensorFlow ops (keras.io\'s monocular depth estimation: `dx_pred * weights_x` with weights from the target\'s image gradients) fails on TensorFlow with "Input \'y\' of \'Mul\' Op has type float64 that does not match type float32 of argument \'x\'" (checked on Keras 3.15; JAX and PyTorch promote the types and train). Making the arrays float32 gives the values Keras 2 trained on, so the fix is safe. A finding on the targets (an array returned after the first, `y` in `return x, y`) claims TensorFlow when a `train_step` or `test_step` of the notebook unpacks its targets (`x, y = data`) and mixes them with its predictions (`pred = self(x)`) by a Python operator or a `tf.` op given both, itself or in a method of its class it hands both to; a compiled loss or metric casts the targets to its dtype and trains (checked), so without such a step nothing is claimed. Not covered by the migration guide.',
    example:
      'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 4\n    def __getitem__(self, i):\n        x = np.empty((8, 32, 32, 3))\n        y = np.empty((8, 32, 32, 1))\n        return x, y',
    useInstead:
      'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 4\n    def __getitem__(self, i):\n        x = np.empty((8, 32, 32, 3), dtype="float32")\n        y = np.empty((8, 32, 32, 1), dtype="float32")\n        return x, y'
  },
  // Findings are on calls inside a Sequence/PyDataset subclass.
  requires: ['Sequence', 'PyDataset'],
  visitors: { class_definition: visitClass, function_definition: visitStep }
};
