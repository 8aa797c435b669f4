/**
 * What it does: flags a `RandomCrop(height, width)` layer placed in a model (an element of a
 * `Sequential`/`Pipeline` list, or called on a tensor) and adds
 * `Resizing(height, width, crop_to_aspect_ratio=True)` after it.
 * Why: Keras 2's `RandomCrop` returned `(height, width)` images at inference too: it cropped the
 * largest centred window of the target aspect ratio and resized it. Since Keras 3.8 it returns
 * inference inputs unchanged (keras-team/keras#21868), so a model whose augmentation block
 * enlarges then crops (`Resizing(h + 20, w + 20)`, `RandomCrop(h, w)`, as keras.io ShiftViT does)
 * sees bigger images in `predict`, `evaluate` and fit's validation: a `Flatten` + `Dense` or a
 * fixed number of patches fails on every backend, a pooled model silently changes.
 * Example: `keras.Sequential([layers.Resizing(52, 52), layers.RandomCrop(48, 48), layers.RandomFlip()])`
 * Use instead: `keras.Sequential([layers.Resizing(52, 52), layers.RandomCrop(48, 48), layers.Resizing(48, 48, crop_to_aspect_ratio=True), layers.RandomFlip()])`
 */
import { child, SyntaxNode } from '../ast';
import type { OffsetEdit, RuleContext, RuleDefinition } from '../rule';
import { callParts, lineStartAt } from '../rule-helpers';
import { appliedOnlyInTfData } from '../helpers/tf-data';

const RANDOM_CROP = new Set(['keras.layers.RandomCrop', 'keras.layers.experimental.preprocessing.RandomCrop']);

/** The `Resizing` spelling that matches how the file spells the `RandomCrop` it follows. */
function resizingCallee(fnText: string): string {
  return fnText.replace(/RandomCrop$/, 'Resizing');
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || parts.splat || !RANDOM_CROP.has(ctx.resolveKeras(parts.fn) ?? '')) {
    return;
  }
  const height = parts.positional[0] ?? parts.keywords.get('height')?.value;
  const width = parts.positional[1] ?? parts.keywords.get('width')?.value;
  if (!height || !width) {
    return;
  }
  const resizing = `${resizingCallee(ctx.textOf(parts.fn))}(${ctx.textOf(height)}, ${ctx.textOf(width)}, crop_to_aspect_ratio=True)`;
  const parent = node.parent;
  if (followedByResize(node, ctx)) {
    return;
  }
  let edits: OffsetEdit[] | null = null;
  if (parent && parent.type === 'list' && listOfModelLayers(parent, ctx)) {
    if (onlyInTfData(parent, ctx)) {
      return; // training defaults to True there: the crop crops
    }
    // After the crop, in the same list: keep the list's layout (one layer per line, or inline).
    const next = parent.children.slice(parent.children.indexOf(node) + 1).find(c => c.type !== 'comment');
    const between = next ? ctx.text.slice(node.end, next.start) : '';
    const multiline = between.includes('\n');
    const indent = ctx.text.slice(lineStartAt(ctx.text, node.start), node.start);
    const separator = multiline && /^\s*$/.test(indent) ? `,\n${indent}` : ', ';
    edits = [{ start: node.end, end: node.end, text: `${separator}${resizing}` }];
  } else if (parent && parent.type === 'call' && child(parent, 'function') === node) {
    // `RandomCrop(h, w)(x)` in a functional model: resize its output.
    edits = [
      { start: parent.start, end: parent.start, text: `${resizing}(` },
      { start: parent.end, end: parent.end, text: ')' }
    ];
  } else {
    return; // a layer object applied elsewhere (often in tf.data.map, where it crops: training defaults to True there)
  }
  const h = ctx.textOf(height);
  const w = ctx.textOf(width);
  ctx.report(
    node,
    `Since Keras 3.8, \`RandomCrop(${h}, ${w})\` returns inference inputs unchanged (keras-team/keras#21868); Keras 2 cropped the largest centred window and resized it to (${h}, ${w}). In a model, \`predict\`, \`evaluate\` and fit's validation then see uncropped images: layers that need the cropped size fail, pooled ones silently change. Add \`Resizing(${h}, ${w}, crop_to_aspect_ratio=True)\` after it (a no-op on the cropped training images).`,
    { title: `Add \`Resizing(${h}, ${w}, crop_to_aspect_ratio=True)\` after the crop`, safe: true, edits }
  );
}

/** Whether the `Sequential([...])` around the list is assigned to a name only applied inside `dataset.map(...)`. */
function onlyInTfData(list: SyntaxNode, ctx: RuleContext): boolean {
  const call = list.parent?.parent;
  const assignment = call?.parent;
  const target = assignment && assignment.type === 'assignment' && child(assignment, 'right') === call ? child(assignment, 'left') : null;
  if (!target || target.type !== 'identifier') {
    return false;
  }
  let root = assignment!;
  while (root.parent) {
    root = root.parent;
  }
  return appliedOnlyInTfData(ctx.textOf(target), root, ctx);
}

const RESIZES = /^keras\.layers\.(experimental\.preprocessing\.)?(Resizing|CenterCrop)$/;

/** Whether the crop's output is already resized or centre-cropped (the next list element, or the call around it). */
function followedByResize(node: SyntaxNode, ctx: RuleContext): boolean {
  const isResize = (n: SyntaxNode | undefined | null): boolean => {
    const parts = n && n.type === 'call' ? callParts(n, ctx) : null;
    const fn = parts && parts.fn.type === 'call' ? callParts(parts.fn, ctx)?.fn : parts?.fn;
    return !!fn && RESIZES.test(ctx.resolveKeras(fn) ?? '');
  };
  const parent = node.parent;
  if (parent && parent.type === 'list') {
    return isResize(parent.children.slice(parent.children.indexOf(node) + 1).find(c => c.type !== 'comment'));
  }
  // `Resizing(h, w)(RandomCrop(h, w)(x))`
  const applied = parent && parent.type === 'call' ? parent : null;
  const around = applied?.parent?.type === 'argument_list' ? applied.parent.parent : null;
  return isResize(around);
}

/** A list literal of layers: the first argument of `Sequential([...])`/`Pipeline([...])`, or a list holding other Keras layers. */
function listOfModelLayers(list: SyntaxNode, ctx: RuleContext): boolean {
  const args = list.parent;
  const call = args && args.type === 'argument_list' ? args.parent : null;
  if (call && call.type === 'call') {
    const parts = callParts(call, ctx);
    const name = parts ? ctx.resolveKeras(parts.fn) ?? '' : '';
    if (/^keras\.(models\.|)Sequential$|^keras\.layers\.Pipeline$/.test(name)) {
      return true;
    }
  }
  return false;
}

export const randomCropInferenceSize: RuleDefinition = {
  code: 'KM232',
  name: 'random-crop-inference-size',
  slug: 'api-changes',
  severity: 'warning',
  // keras/src/layers/preprocessing/image_preprocessing/random_crop.py: 3.7 crops at inference
  // (centred), 3.8 added `if training:` around the crop.
  kerasVersions: [{ from: '3.8' }],
  /**
   * No backend claim: whether the uncropped images fail depends on the layers after the crop
   * (Flatten + Dense raises "expected axis -1 of input shape to have value 48" on TensorFlow,
   * JAX and PyTorch in Keras 3.15.1; GlobalAveragePooling runs with changed results).
   */
  blocks: [],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags a `RandomCrop(height, width)` layer in a model: an element of a `Sequential([...])` or `Pipeline([...])` list, or called directly on a tensor (`RandomCrop(h, w)(x)`). The fix adds `Resizing(height, width, crop_to_aspect_ratio=True)` after it. A `RandomCrop` kept in a variable and applied elsewhere (often in `tf.data.map`, where `training` defaults to True and it crops) is left alone.',
    why:
      'Keras 2\'s `RandomCrop` gave `(height, width)` images at inference too: the largest centred window of the target aspect ratio, resized. Since Keras 3.8 the layer returns inference inputs unchanged (keras-team/keras#21868; Keras 3.6 and 3.7 cropped the centre). A model whose augmentation enlarges then crops (keras.io ShiftViT: `Resizing(h + 20, w + 20)` then `RandomCrop(h, w)`) sees bigger images in `predict`, `evaluate` and fit\'s validation: a `Flatten` + `Dense` or a fixed patch count fails on every backend (checked on Keras 3.15.1), and a pooled model silently sees other pixels than in Keras 2. `Resizing(h, w, crop_to_aspect_ratio=True)` after the crop is what Keras 2 did at inference and a no-op on the already cropped training images, so the fix is safe. Not covered by the migration guide.',
    example:
      'import keras\nfrom keras import layers\naugment = keras.Sequential([layers.Resizing(52, 52), layers.RandomCrop(48, 48), layers.RandomFlip("horizontal")])',
    useInstead:
      'import keras\nfrom keras import layers\naugment = keras.Sequential([layers.Resizing(52, 52), layers.RandomCrop(48, 48), layers.Resizing(48, 48, crop_to_aspect_ratio=True), layers.RandomFlip("horizontal")])'
  },
  calls: { names: ['RandomCrop'] },
  // The call visitor sees only calls named in `calls.names`.
  requires: ['RandomCrop'],
  visitors: { call: visit }
};
