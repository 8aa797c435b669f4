import type { SyntaxNode } from '../ast';
import type { RuleContext, RuleDefinition } from '../rule';
import { callParts } from '../rule-helpers';

const CONVERTER = 'tensorflow.lite.TFLiteConverter.from_keras_model';

function visit(node: SyntaxNode, ctx: RuleContext): void {
  const parts = callParts(node, ctx);
  if (!parts || ctx.resolve(parts.fn) !== CONVERTER) {
    return;
  }
  ctx.report(
    node,
    '`tf.lite.TFLiteConverter.from_keras_model()` converts a Keras 3 model on the TensorFlow and JAX backends, but on PyTorch it raises "object has no attribute \'_get_save_spec\'" (the converter reads a TensorFlow function of the model, which a PyTorch model has not). Convert in a TensorFlow or JAX session: save a `.keras` file here and load it there.'
  );
}

/**
 * Checked by running Keras 3.15.1 with TensorFlow 2.21, JAX 0.10 and PyTorch 2.13: a Sequential
 * and a Functional model convert on TensorFlow and JAX and raise on PyTorch; tf_keras 2.21 converts
 * the same program (claims program tflite_from_keras_model.py).
 */
export const tfliteFromKerasModel: RuleDefinition = {
  code: 'KM390',
  name: 'tflite-from-keras-model',
  slug: 'savedmodel-save',
  severity: 'error',
  blocks: ['torch'],
  fixAvailability: 'never',
  triggers: ['from_keras_model'],
  docs: {
    whatItDoes: 'Flags `tf.lite.TFLiteConverter.from_keras_model(model)` for the PyTorch backend.',
    why:
      'The TFLite converter traces the Keras model into a TensorFlow function. TensorFlow 2.21 does that for a Keras 3 model on the TensorFlow and JAX backends; a model on the PyTorch backend has no TensorFlow function, and the converter raises "object has no attribute \'_get_save_spec\'". A program that must run on PyTorch saves a `.keras` file and converts it in a TensorFlow or JAX session.',
    example: 'import tensorflow as tf\nconverter = tf.lite.TFLiteConverter.from_keras_model(model)',
    useInstead: 'model.save("model.keras")  # convert it in a TensorFlow or JAX session'
  },
  calls: { resolved: [CONVERTER] },
  requires: ['from_keras_model'],
  visitors: { call: visit }
};
