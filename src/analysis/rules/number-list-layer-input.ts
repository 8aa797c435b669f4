import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';

/** Whether `node` is a number literal (`3`, `-0.5`) or a list/tuple of such, nested. */
function isNumberData(node: SyntaxNode, depth = 0): boolean {
  switch (node.type) {
    case 'integer':
    case 'float':
      return true;
    case 'unary_operator':
      return node.children.length === 1 && isNumberData(node.children[0], depth);
    case 'list':
    case 'tuple': {
      const items = node.children.filter(c => c.type !== 'comment');
      return depth < 8 && items.length > 0 && items.every(c => isNumberData(c, depth + 1));
    }
    default:
      return false;
  }
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const args = child(node, 'arguments');
  const first = args?.type === 'argument_list' ? args.children.find(c => c.type !== 'comment') : null;
  // A list literal of numbers: what Keras 2 converted to one tensor (a list of lists is one matrix too).
  if (!first || first.type !== 'list' || !isNumberData(first)) {
    return;
  }
  const fn = child(node, 'function');
  // `model.predict([...])` is a method of the model, not a call of it.
  const owner = fn?.type === 'attribute' ? child(fn, 'object') : null;
  if (!fn || (owner && ctx.isLayerInstance(owner)) || !ctx.isLayerInstance(fn)) {
    return;
  }
  const edits: OffsetEdit[] = [{ start: first.start, end: first.end, text: `keras.ops.convert_to_tensor(${ctx.textOf(first)})` }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  ctx.report(
    first,
    'Keras 3 reads a Python list passed to a model or layer as a structure of inputs, one per element, and refuses plain numbers ("Only input tensors may be passed as positional arguments"); Keras 2 converted the list to one tensor. Pass a tensor: `keras.ops.convert_to_tensor([...])`.',
    { title: 'Wrap the list in `keras.ops.convert_to_tensor(...)`', safe: true, edits }
  );
}

export const numberListLayerInput: RuleDefinition = {
  code: 'KM204',
  name: 'number-list-layer-input',
  slug: 'api-changes',
  severity: 'error',
  blocks: ['tensorflow', 'jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes: 'Flags a model or layer called on a list literal of numbers (`model([1, 10, 100])`, `layer([[0.5, 1.0]])`).',
    why:
      'Keras 2 turned such a list into one tensor. Keras 3 takes a list passed to a model or layer as a nested structure of inputs, so each number is an input of its own, and raises "Only input tensors may be passed as positional arguments" on TensorFlow, JAX and PyTorch alike (checked on Keras 3.15 with the keras.io GNN example, which builds its subclassed model with `gnn_model([1, 10, 100])`). `keras.ops.convert_to_tensor([...])` gives the tensor Keras 2 made (int32 for integers, float32 for floats), so the fix is safe.',
    example: 'import keras\nmodel = keras.Sequential([keras.layers.Embedding(200, 4)])\nprint(model([1, 10, 100]).shape)',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.layers.Embedding(200, 4)])\nprint(model(keras.ops.convert_to_tensor([1, 10, 100])).shape)'
  },
  visitors: { call: visit }
};
