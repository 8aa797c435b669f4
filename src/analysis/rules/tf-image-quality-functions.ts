import { child, SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts, inKerasClassMethod, modelCodeCondition, tfApiName, tfOpClaim } from '../rule-helpers';
import { imageQualityFix, imageQualityHelper } from '../helpers/image-quality';

/** The calls `self.NAME(...)` in a class body. */
function selfAttributeCalls(cls: SyntaxNode, attr: string, ctx: RuleContext): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const stack = [cls];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const fn = child(n, 'function');
      if (fn && fn.type === 'attribute' && ctx.textOf(fn).replace(/\s+/g, '') === `self.${attr}`) {
        found.push(n);
      }
    }
    stack.push(...n.children);
  }
  return found;
}

/**
 * `self.ssim_value = tf.image.ssim` in a method of a Keras class (keras.io BASNet's loss keeps the
 * function in `__init__` and calls `self.ssim_value(y_true, y_pred, max_val=1)` in `call()`): the
 * class calls the TF function on the backend's tensors, where it fails on JAX and PyTorch.
 */
function visitReference(node: SyntaxNode, ctx: RuleContext): void {
  const name = tfApiName(ctx.resolve(node));
  const helper = name ? imageQualityHelper(name) : null;
  const assignment = node.parent;
  if (!name || !helper || !assignment || assignment.type !== 'assignment' || child(assignment, 'right') !== node || !inKerasClassMethod(ctx)) {
    return;
  }
  const left = child(assignment, 'left');
  const m = left ? /^self\.(\w+)$/.exec(ctx.textOf(left).replace(/\s+/g, '')) : null;
  const calls = m && ctx.cls ? selfAttributeCalls(ctx.cls.node, m[1], ctx) : [];
  if (!calls.length) {
    return;
  }
  const parts = calls.map(c => callParts(c, ctx));
  const fixes = parts.map(p => (p ? imageQualityFix(name, node, p, ctx) : null));
  const fix = fixes.every(f => f !== null) ? fixes[0] : null;
  ctx.report(
    node,
    `\`${name}\`, kept as \`self.${m![1]}\` and called by the class, fails on JAX, which traces that code, and on PyTorch where it gets tensors that require grad; keras.ops has no counterpart: ${fix ? `define \`${helper}\` on keras.ops with TensorFlow's definition and keep it instead` : 'rewrite it on keras.ops by hand (a call passes an argument the helper lacks)'}.`,
    fix ?? undefined,
    undefined,
    undefined,
    ['jax', 'torch']
  );
}

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts) {
    return;
  }
  const name = tfApiName(ctx.resolve(parts.fn));
  const helper = name ? imageQualityHelper(name) : null;
  if (!name || !helper) {
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
  const fix = imageQualityFix(name, parts.fn, parts, ctx);
  ctx.report(
    parts.fn,
    `\`${name}\` fails on JAX, which traces this code, and on PyTorch where it gets tensors that require grad${where}; keras.ops has no ${
      name === 'tf.image.psnr' ? 'per-image PSNR (`keras.ops.psnr` averages over the whole batch)' : 'counterpart'
    }: ${fix ? `define \`${helper}\` on keras.ops with TensorFlow's definition and call it` : 'rewrite it on keras.ops by hand (an argument here has no counterpart)'}.`,
    fix ?? undefined,
    undefined,
    condition === true ? undefined : condition,
    [...blocks],
    blocksOnlyIf
  );
}

export const tfImageQualityFunctions: RuleDefinition = {
  code: 'KM244',
  name: 'tf-image-quality-functions',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['jax', 'torch'],
  fixAvailability: 'sometimes',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags `tf.image.ssim`, `tf.image.image_gradients` and `tf.image.psnr` in model code (losses, metrics, layer and model methods, `train_step`), where KM131 would find no `keras.ops` rewrite, also when a method of a Keras class keeps the function as an attribute that the class calls (keras.io BASNet\'s loss: `self.ssim_value = tf.image.ssim` in `__init__`, `self.ssim_value(y_true, y_pred, max_val=1)` in `call()`), and offers a helper of the same arguments defined once in the cell on keras.ops (`image_ssim`, `image_gradients`, `image_psnr`).',
    why:
      'On the JAX and PyTorch backends the tensors reaching a loss or a layer are not TensorFlow tensors, so these functions fail there (JAX traces them; PyTorch fails in training). keras.ops has no SSIM and no image gradients, and `keras.ops.psnr` averages the squared error over the whole batch where `tf.image.psnr` gives one value per image. The helpers follow TensorFlow\'s definitions (SSIM: Gaussian window, VALID padding, mean over height, width and channels; gradients: forward differences with a zero last row and column; PSNR per image) and agree with TensorFlow to float rounding on float images (checked by running keras.io\'s monocular depth loss and a denoising autoencoder\'s SSIM loss and PSNR metric on TensorFlow, JAX and PyTorch). A suggestion: TensorFlow converts integer images to float first, the helpers do not.',
    example:
      'import keras\nimport tensorflow as tf\n\ndef ssim_loss(y_true, y_pred):\n    return 1.0 - tf.reduce_mean(tf.image.ssim(y_true, y_pred, max_val=1.0))\n\nmodel.compile(optimizer="adam", loss=ssim_loss)',
    useInstead:
      'import keras\n\ndef image_ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, name=None):\n    ...  # the helper the fix inserts, on keras.ops\n\ndef ssim_loss(y_true, y_pred):\n    return 1.0 - keras.ops.mean(image_ssim(y_true, y_pred, max_val=1.0))\n\nmodel.compile(optimizer="adam", loss=ssim_loss)'
  },
  calls: { resolved: ['tensorflow.'] },
  attributes: { resolved: ['tensorflow.image.'] },
  // Findings are on calls resolving to the image quality functions of helpers/image-quality.ts,
  // and on references to them kept as an attribute of a Keras class.
  requires: ['ssim', 'image_gradients', 'psnr'],
  visitors: { call: visit, attribute: visitReference }
};
