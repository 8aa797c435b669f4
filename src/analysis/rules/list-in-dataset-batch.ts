/**
 * list-in-dataset-batch (KM297)
 *
 * What it does: flags a Python list inside the batch a `keras.utils.Sequence` / `PyDataset` subclass's
 * `__getitem__` returns, or a generator given to `fit()` / `evaluate()` / `predict()` yields: the
 * targets of a multi-output model (`return x, [y_class, y_box]`) or the inputs of a multi-input one
 * (`return [a, b], y`).
 *
 * Why: Keras 2 took the list as a nest of arrays. Keras 3 on TensorFlow builds a `tf.data` pipeline
 * from the first batch, and a list in its structure fails ("`output_signature` must contain objects
 * that are subclass of `tf.TypeSpec` but found <class 'list'>"); JAX and PyTorch run it (Keras 3.15,
 * og47e repro_4, Atienza's IIC and SSD generators; claims/list_in_dataset_batch.py).
 *
 * Fix: a tuple instead (`(y_class, y_box)`, `tuple(y)`), the same nest for Keras on every backend: safe.
 */
import { child, itemsOf, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { escapeRegExp } from '../rule-helpers';
import { isDatasetClass } from '../helpers/dataset-classes';

const FEEDS = 'fit|fit_generator|evaluate|evaluate_generator|predict|predict_generator';

/** The function definition directly enclosing a node (not crossing lambdas or classes). */
function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition') {
      return p;
    }
    if (p.type === 'lambda' || p.type === 'class_definition') {
      return null;
    }
  }
  return null;
}

/** Whether `def` makes the batches Keras reads: `__getitem__` of a dataset class, or a generator the cell hands to `fit` & co. */
function makesBatches(def: SyntaxNode, yielded: boolean, ctx: RuleContext): boolean {
  const name = ctx.textOf(child(def, 'name') ?? def);
  if (!yielded) {
    const cls = def.parent?.type === 'block' ? def.parent.parent : null;
    return name === '__getitem__' && cls?.type === 'class_definition' && isDatasetClass(cls, ctx);
  }
  return new RegExp(`\\.\\s*(?:${FEEDS})\\s*\\(\\s*(?:(?:x|generator)\\s*=\\s*)?${escapeRegExp(name)}\\s*\\(`).test(ctx.text);
}

/** How an item of the batch is a Python list: 'display' (`[a, b]`), 'name' (held by a name assigned only lists, or a comprehension), or null. */
function listKind(item: SyntaxNode, def: SyntaxNode, ctx: RuleContext): 'display' | 'wrap' | null {
  if (item.type === 'list') {
    return itemsOf(item).length > 0 && !itemsOf(item).some(i => i.type === 'list_splat') ? 'display' : null;
  }
  if (item.type === 'list_comprehension') {
    return 'wrap';
  }
  if (item.type !== 'identifier') {
    return null;
  }
  const name = ctx.textOf(item);
  const values: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [child(def, 'body') ?? def];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') {
      continue;
    }
    if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement') {
      const left = child(n, 'left');
      if (left && (left.type === 'identifier' ? ctx.textOf(left) === name : new RegExp(`\\b${escapeRegExp(name)}\\b`).test(ctx.textOf(left)))) {
        const right = n.type === 'assignment' && left.type === 'identifier' ? child(n, 'right') : null;
        if (!right) {
          return null; // unpacked, augmented or a loop variable: not known to be a list
        }
        values.push(right);
      }
    }
    stack.push(...n.children);
  }
  return values.length > 0 && values.every(v => v.type === 'list' || v.type === 'list_comprehension') ? 'wrap' : null;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const yielded = node.type === 'yield';
  // (Named children only: the keywords are not among them.)
  const value = yielded && /^yield\s+from\b/.test(ctx.textOf(node)) ? null : node.children.find(c => c.type !== 'comment');
  const tuple = value && (value.type === 'expression_list' || value.type === 'tuple') ? value : null;
  const def = enclosingFunction(node);
  if (!tuple || !def || !makesBatches(def, yielded, ctx)) {
    return;
  }
  const items = itemsOf(tuple);
  if (items.length < 2 || items.length > 3) {
    return;
  }
  for (const [i, item] of items.entries()) {
    const kind = listKind(item, def, ctx);
    if (!kind || i === 2) {
      continue; // sample weights aside
    }
    const edits: OffsetEdit[] =
      kind === 'display'
        ? [
            { start: item.start, end: item.start + 1, text: '(' },
            { start: item.end - 1, end: item.end, text: itemsOf(item).length === 1 ? ',)' : ')' }
          ]
        : [{ start: item.start, end: item.end, text: `tuple(${ctx.textOf(item)})` }];
    const what = i === 0 ? 'inputs' : 'targets';
    ctx.report(
      item,
      `The ${what} of this batch are a Python list: Keras 3 on TensorFlow builds a \`tf.data\` pipeline from the first batch and fails on a list in it ("\`output_signature\` must contain objects that are subclass of \`tf.TypeSpec\` but found <class 'list'>"), where Keras 2 took it as a nest of arrays; JAX and PyTorch run it. Use a tuple.`,
      { title: 'Use a tuple', safe: true, edits },
      undefined,
      undefined,
      ['tensorflow']
    );
  }
}

export const listInDatasetBatch: RuleDefinition = {
  code: 'KM297',
  name: 'list-in-dataset-batch',
  slug: 'api-changes',
  severity: 'error',
  /** TypeError building the tf.data pipeline on TensorFlow (Keras 3.15; claims/list_in_dataset_batch.py); JAX and PyTorch run it. */
  blocks: ['tensorflow'],
  fixAvailability: 'always',
  triggers: ['__getitem__', 'yield'],
  docs: {
    whatItDoes:
      'Flags a Python list among the inputs or targets of the batch that a `keras.utils.Sequence` / `PyDataset` subclass\'s `__getitem__` returns, or that a generator the notebook gives to `fit()`, `evaluate()` or `predict()` yields: a list display, a list comprehension, or a name the method assigns only lists (`y = []` filled by `append`).',
    why:
      'Keras 2 took the list as a nest of arrays (one per input or output). Keras 3 on TensorFlow builds a `tf.data` pipeline from the first batch, and a list inside its structure fails ("`output_signature` must contain objects that are subclass of `tf.TypeSpec` but found <class \'list\'>"); JAX and PyTorch run it (checked on Keras 3.15). A tuple is the same nest for Keras on every backend: a safe fix.',
    example:
      'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 2\n    def __getitem__(self, i):\n        x = np.ones((4, 3), "float32")\n        return x, [np.ones((4, 2), "float32"), np.ones((4, 1), "float32")]',
    useInstead:
      'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 2\n    def __getitem__(self, i):\n        x = np.ones((4, 3), "float32")\n        return x, (np.ones((4, 2), "float32"), np.ones((4, 1), "float32"))'
  },
  visitors: { return_statement: visit, yield: visit }
};
