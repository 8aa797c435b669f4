import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, modelCodeCondition, tfApiName, tfOpClaim } from '../rule-helpers';
import { cropAndResizeFix } from '../helpers/crop-and-resize';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  if (tfApiName(ctx.resolve(parts.fn)) !== 'tf.image.crop_and_resize') {
    return;
  }
  const condition = modelCodeCondition(node, ctx);
  if (condition === null) {
    return;
  }
  // Ops on symbolic Functional-API tensors are KM071's (they fail on every backend).
  if (parts.positional.some(a => ctx.isSymbolic(a))) {
    return;
  }
  const where = condition === true ? '' : ` (\`${condition.slice('model:'.length).replace(/^\./, '')}()\` runs as model code)`;
  // KM131's claim for a TF op in model code: JAX traces it; PyTorch fails where it gets tensors that require grad.
  const { blocks, blocksOnlyIf } = tfOpClaim(node, ctx);
  const fix = cropAndResizeFix(parts.fn, parts, ctx);
  ctx.report(
    parts.fn,
    `\`tf.image.crop_and_resize\` fails on JAX, which traces this code, and on PyTorch where it gets tensors that require grad${where}; keras.ops has no per-box crop at normalized coordinates: ${
      fix ? "define `image_crop_and_resize` on keras.ops with TensorFlow's definition and call it" : 'rewrite it on keras.ops by hand (an argument here has no counterpart)'
    }.`,
    fix ?? undefined,
    undefined,
    condition === true ? undefined : condition,
    [...blocks],
    blocksOnlyIf
  );
}

export const tfImageCropAndResize: RuleDefinition = {
  code: 'KM261',
  name: 'tf-image-crop-and-resize',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `tf.image.crop_and_resize` in model code (layer and model methods, losses, `train_step`), where KM131 would find no `keras.ops` rewrite, and offers a helper of the same arguments defined once in the cell on keras.ops (`image_crop_and_resize`).',
    why:
      "On the JAX and PyTorch backends the tensors reaching a layer are not TensorFlow tensors, so `tf.image.crop_and_resize` fails there (JAX traces it; PyTorch fails in training): keras.io's RandomResizedCrop augmentation layers (NNCLR, SimCLR-style contrastive examples) call it in `call()`. keras.ops.image crops at integer offsets and resizes whole images, but has no per-box crop at normalized coordinates. The helper follows TensorFlow's definition (box `(y1, x1, y2, x2)` of image `box_indices[i]` sampled on a `crop_size` grid spanning `y1 * (height - 1)` to `y2 * (height - 1)`, the centre for a size of 1, bilinear or nearest, float32 output, `extrapolation_value` outside the image) with gathers, so it is differentiable as TensorFlow's is; it agrees with TensorFlow to float rounding on TensorFlow, JAX and PyTorch (boxes inside, across and outside the image, flipped boxes, sizes of 1, uint8 images). A suggestion: the crop size must be Python integers or static shape entries (JAX needs static shapes).",
    example:
      'import keras\nimport tensorflow as tf\n\nclass RandomResizedCrop(keras.layers.Layer):\n    def call(self, images):\n        boxes = keras.random.uniform((keras.ops.shape(images)[0], 4))\n        return tf.image.crop_and_resize(images, boxes, keras.ops.arange(keras.ops.shape(images)[0]), (32, 32))',
    useInstead:
      'import keras\n\ndef image_crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear", extrapolation_value=0.0, name=None):\n    ...  # the helper the fix inserts, on keras.ops\n\nclass RandomResizedCrop(keras.layers.Layer):\n    def call(self, images):\n        boxes = keras.random.uniform((keras.ops.shape(images)[0], 4))\n        return image_crop_and_resize(images, boxes, keras.ops.arange(keras.ops.shape(images)[0]), (32, 32))'
  },
  calls: { resolved: ['tensorflow.'] },
  requires: ['crop_and_resize'],
  visitors: { call: visit }
};
