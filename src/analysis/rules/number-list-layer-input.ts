import type { SyntaxNode } from '../ast';
import { child } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { calledLayerClass } from '../helpers/layer-calls';

/**
 * Preprocessing layers that convert a list of numbers themselves: `IntegerLookup(...)([-1, 4, 1])`
 * runs on TensorFlow, JAX and PyTorch (checked on Keras 3.15, the TensorFlow pandas-dataframe tutorial).
 */
const CONVERT_LISTS = new Set(['IntegerLookup', 'StringLookup', 'Hashing', 'Discretization', 'CategoryEncoding', 'Rescaling']);

/**
 * Image preprocessing layers that read a list's shape on JAX and PyTorch ("AttributeError") and
 * convert it on TensorFlow (checked on Keras 3.15).
 */
const CONVERT_LISTS_ON_TENSORFLOW = new Set(['Resizing', 'CenterCrop', 'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'RandomContrast', 'RandomBrightness', 'RandomCrop', 'RandomHeight', 'RandomWidth']);


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

/**
 * The number literals among the leaves of a list, tuple or dict literal that also holds other
 * values (`{"z": z, "alpha": 1.0}`, `[x, 0.5]`): Keras 2 converted each leaf to a tensor, Keras 3
 * wants tensors there. A list or tuple of numbers only inside it is one leaf (a tensor in Keras 2
 * only when it was the whole input; here it is left alone).
 */
function numberLeaves(node: SyntaxNode, out: SyntaxNode[], depth = 0): boolean {
  let other = false;
  for (const c of node.children) {
    const value = c.type === 'pair' ? child(c, 'value') : ['[', ']', '(', ')', '{', '}', ',', 'comment'].includes(c.type) ? null : c;
    if (!value) {
      continue;
    }
    if ((value.type === 'integer' || value.type === 'float') || (value.type === 'unary_operator' && value.children.length >= 1 && ['integer', 'float'].includes(value.children[value.children.length - 1].type))) {
      out.push(value);
    } else if (depth < 8 && (value.type === 'dictionary' || ((value.type === 'list' || value.type === 'tuple') && !isNumberData(value)))) {
      other = numberLeaves(value, out, depth + 1) || other;
    } else {
      other = true;
    }
  }
  return other;
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const args = child(node, 'arguments');
  const first = args?.type === 'argument_list' ? args.children.find(c => c.type !== 'comment') : null;
  // Numbers among other values in a nested input (`model({"z": z, "alpha": 1.0})`): each a tensor, as Keras 2 made it.
  if (first && (first.type === 'dictionary' || ((first.type === 'list' || first.type === 'tuple') && !isNumberData(first)))) {
    const leaves: SyntaxNode[] = [];
    if (!numberLeaves(first, leaves) || !leaves.length) {
      return;
    }
    const fn = child(node, 'function');
    const owner = fn?.type === 'attribute' ? child(fn, 'object') : null;
    if (!fn || (owner && ctx.isLayerInstance(owner)) || !ctx.isLayerInstance(fn)) {
      return;
    }
    const edits: OffsetEdit[] = leaves.map(l => ({ start: l.start, end: l.end, text: `keras.ops.convert_to_tensor(${ctx.textOf(l)})` }));
    const importEdit = ctx.kerasImportEdit();
    if (importEdit) {
      edits.push(importEdit);
    }
    const shown = leaves.slice(0, 3).map(l => `\`${ctx.textOf(l)}\``).join(', ');
    ctx.report(
      leaves[0],
      `Keras 3 wants every leaf of a nested input to a model or layer to be a tensor and refuses the Python number${leaves.length > 1 ? 's' : ''} ${shown} here ("Only input tensors may be passed as positional arguments"); Keras 2 converted each leaf to a tensor. Pass tensors: \`keras.ops.convert_to_tensor(...)\` of each number.`,
      { title: `Wrap ${leaves.length > 1 ? 'each number' : 'the number'} in \`keras.ops.convert_to_tensor(...)\``, safe: true, edits }
    );
    return;
  }
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
  const cls = calledLayerClass(fn, ctx)?.replace(/^keras\.layers\./, '') ?? null;
  if (cls && CONVERT_LISTS.has(cls)) {
    return;
  }
  const edits: OffsetEdit[] = [{ start: first.start, end: first.end, text: `keras.ops.convert_to_tensor(${ctx.textOf(first)})` }];
  const importEdit = ctx.kerasImportEdit();
  if (importEdit) {
    edits.push(importEdit);
  }
  const imageLayer = !!cls && CONVERT_LISTS_ON_TENSORFLOW.has(cls);
  ctx.report(
    first,
    imageLayer
      ? `Keras 3's \`${cls}\` converts a Python list on TensorFlow only: on JAX and PyTorch it reads the list's shape and fails ("AttributeError"); Keras 2 converted the list to one tensor. Pass a tensor: \`keras.ops.convert_to_tensor([...])\`.`
      : 'Keras 3 reads a Python list passed to a model or layer as a structure of inputs, one per element, and refuses plain numbers ("Only input tensors may be passed as positional arguments"); Keras 2 converted the list to one tensor. Pass a tensor: `keras.ops.convert_to_tensor([...])`.',
    { title: 'Wrap the list in `keras.ops.convert_to_tensor(...)`', safe: true, edits },
    undefined,
    undefined,
    imageLayer ? ['jax', 'torch'] : undefined
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
    whatItDoes: 'Flags a model or layer called on a list literal of numbers (`model([1, 10, 100])`, `layer([[0.5, 1.0]])`; not the preprocessing layers that convert a list themselves on every backend: IntegerLookup, StringLookup, Hashing, Discretization, CategoryEncoding, Rescaling; the image preprocessing layers, Resizing, RandomFlip and the like, convert it on TensorFlow only and claim JAX and PyTorch), and one called on a list, tuple or dict literal holding number literals among other values (keras.io StyleGAN\'s `style_gan({"z": z, "noise": noise, "alpha": 1.0})`): each such number becomes `keras.ops.convert_to_tensor(...)` of it, the tensor Keras 2 converted it to (a safe fix).',
    why:
      'Keras 2 turned such a list into one tensor. Keras 3 takes a list passed to a model or layer as a nested structure of inputs, so each number is an input of its own, and raises "Only input tensors may be passed as positional arguments" on TensorFlow, JAX and PyTorch alike (checked on Keras 3.15 with the keras.io GNN example, which builds its subclassed model with `gnn_model([1, 10, 100])`). `keras.ops.convert_to_tensor([...])` gives the tensor Keras 2 made (int32 for integers, float32 for floats), so the fix is safe.',
    example: 'import keras\nmodel = keras.Sequential([keras.layers.Embedding(200, 4)])\nprint(model([1, 10, 100]).shape)',
    useInstead: 'import keras\nmodel = keras.Sequential([keras.layers.Embedding(200, 4)])\nprint(model(keras.ops.convert_to_tensor([1, 10, 100])).shape)'
  },
  visitors: { call: visit }
};
