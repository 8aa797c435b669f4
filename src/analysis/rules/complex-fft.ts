import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { modelCodeCondition, tfOpClaim, withKerasImport } from '../rule-helpers';
import { complexFft } from '../helpers/complex-fft';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const found = complexFft(node, ctx);
  if (!found) {
    return;
  }
  const condition = modelCodeCondition(node, ctx);
  if (condition === null) {
    return;
  }
  const where = condition === true ? '' : ` (\`${condition.slice('model:'.length)}()\` runs as model code)`;
  // The claim of the TF ops it replaces (KM131's): JAX traces them; PyTorch fails where they get tensors that require grad.
  const { blocks, blocksOnlyIf } = tfOpClaim(node, ctx);
  ctx.report(
    node,
    `A TensorFlow FFT of a complex tensor made from real data only runs on the TensorFlow backend${where}: keras.ops has no complex dtype, its FFTs take and return a (real, imaginary) pair; use \`${found.text}\`.`,
    { title: `Use \`${found.text}\``, safe: found.safe, edits: withKerasImport(ctx, [{ start: node.start, end: node.end, text: found.text }]) },
    undefined,
    condition === true ? undefined : condition,
    [...blocks],
    blocksOnlyIf
  );
}

export const complexFftRule: RuleDefinition = {
  code: 'KM198',
  name: 'complex-fft',
  slug: 'keras-ops',
  severity: 'warning',
  blocks: ['jax', 'torch'],
  fixAvailability: 'always',
  triggers: [],
  docs: {
    whatItDoes:
      'Flags the real (or imaginary) part of a TensorFlow FFT of real data made complex in model code: `tf.math.real(tf.signal.fft2d(tf.cast(x, tf.complex64)))`, `tf.cast(tf.signal.fft2d(...), tf.float32)` (FNet\'s token mixing), `tf.math.imag(tf.signal.fft(tf.complex(re, im)))`; `tf.signal.fft`, `fft2d` and `ifft2d`.',
    why:
      'On the JAX and PyTorch backends the tensors reaching a layer are not TensorFlow tensors, and keras.ops has no complex dtype: `keras.ops.fft`, `fft2` and `ifft2` take a (real, imaginary) pair of float tensors and return one. So the cast to complex, the FFT and the part kept are one rewrite, `keras.ops.fft2((x, keras.ops.zeros_like(x)))[0]`, as the Keras team converted keras.io\'s FNet example (checked on TensorFlow, JAX and PyTorch). From `tf.complex(re, im)` the rewrite gives the same values and dtype (safe); from a cast of real data it is a suggestion: TensorFlow casts integers and float64 to complex64 too, while keras.ops keeps the input\'s float dtype and rejects integers.',
    example:
      'import keras\nimport tensorflow as tf\n\nclass FourierMix(keras.layers.Layer):\n    def call(self, x):\n        return tf.math.real(tf.signal.fft2d(tf.complex(x, tf.zeros_like(x)))) + x',
    useInstead:
      'import keras\n\nclass FourierMix(keras.layers.Layer):\n    def call(self, x):\n        return keras.ops.fft2((x, keras.ops.zeros_like(x)))[0] + x'
  },
  calls: { resolved: ['tensorflow.'] },
  // Findings are on a TensorFlow FFT call (its helper's table).
  requires: ['fft', 'fft2d', 'ifft2d'],
  visitors: { call: visit }
};
