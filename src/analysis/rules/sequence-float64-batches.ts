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
 * Fix: safe (the values Keras 2's `fit()` saw after its cast).
 */
import { child, descendants, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { appendArgument, callParts } from '../helpers/calls';

const DATASET_BASES = /^keras\.(utils\.|utils\.data_utils\.|utils\.all_utils\.)?(Sequence|PyDataset)$/;
const MAKERS = /^numpy\.(empty|zeros|ones)$/;

/** Whether the class derives directly from `keras.utils.Sequence` / `keras.utils.PyDataset` (also through `tf.keras`). */
function isDatasetClass(node: SyntaxNode, ctx: RuleContext): boolean {
  const bases = child(node, 'superclasses');
  return !!bases && bases.children.some(b => DATASET_BASES.test(ctx.resolveKeras(b) ?? ''));
}

/** The names a function's `return` statements hand back: `return x, y`, `return (x, y)`, `return x`. */
function returnedNames(fn: SyntaxNode, ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const n of descendants(fn)) {
    if (n.type !== 'return_statement') {
      continue;
    }
    const stack = [...n.children];
    while (stack.length) {
      const v = stack.pop()!;
      if (v.type === 'identifier') {
        names.add(ctx.textOf(v));
      } else if (v.type === 'tuple' || v.type === 'expression_list' || v.type === 'parenthesized_expression' || v.type === 'list') {
        stack.push(...v.children);
      }
    }
  }
  return names;
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
      ctx.report(
        right,
        `\`np.${maker[1]}(...)\` makes float64 arrays, and \`${name}\` is a batch this dataset returns: Keras 2's \`fit()\` cast float64 batches to float32, Keras 3 passes float64 targets on, and on TensorFlow a loss or train step that mixes them with the float32 predictions (\`y_true - y_pred\`, \`tf.image.ssim(...)\`) fails ("Input 'y' of 'Mul' Op has type float64 that does not match type float32"). Make it \`dtype="float32"\`, the batches Keras 2 trained on.`,
        { title: 'Pass `dtype="float32"` (what Keras 2\'s fit() cast the batch to)', safe: true, edits: [appendArgument(parts.args, 'dtype="float32"', ctx)] }
      );
    }
  }
}

export const sequenceFloat64Batches: RuleDefinition = {
  code: 'KM302',
  name: 'sequence-float64-batches',
  slug: 'api-changes',
  severity: 'warning',
  /** Only losses and steps that mix the targets with the predictions by TF ops or operators fail (on TensorFlow): no backend is claimed. */
  blocks: [],
  fixAvailability: 'always',
  // The arrays' makers too: a statement `y = np.empty(...)` has no Keras word of its own.
  triggers: ['Sequence', 'PyDataset', 'empty', 'zeros', 'ones'],
  docs: {
    whatItDoes:
      'Flags `np.empty(shape)`, `np.zeros(shape)` and `np.ones(shape)` without a dtype assigned to a name that a method of a `keras.utils.Sequence` (or `keras.utils.PyDataset`) subclass returns (`return x, y` in `__getitem__` or a batch-making helper): the dataset hands float64 batches to `fit()`.',
    why:
      'Keras 2\'s `fit()` cast float64 NumPy batches (inputs and targets) to float32, the model\'s float type. Keras 3 does not cast the targets: a loss or a train step that mixes float64 targets with float32 predictions by Python operators or TensorFlow ops (keras.io\'s monocular depth estimation: `dx_pred * weights_x` with weights from the target\'s image gradients) fails on TensorFlow with "Input \'y\' of \'Mul\' Op has type float64 that does not match type float32 of argument \'x\'" (checked on Keras 3.15; JAX and PyTorch promote the types and train). Making the arrays float32 gives the values Keras 2 trained on, so the fix is safe. Not covered by the migration guide.',
    example:
      'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 4\n    def __getitem__(self, i):\n        x = np.empty((8, 32, 32, 3))\n        y = np.empty((8, 32, 32, 1))\n        return x, y',
    useInstead:
      'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 4\n    def __getitem__(self, i):\n        x = np.empty((8, 32, 32, 3), dtype="float32")\n        y = np.empty((8, 32, 32, 1), dtype="float32")\n        return x, y'
  },
  // Findings are on calls inside a Sequence/PyDataset subclass.
  requires: ['Sequence', 'PyDataset'],
  visitors: { class_definition: visitClass }
};
