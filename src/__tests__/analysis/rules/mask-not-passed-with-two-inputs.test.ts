import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nclass Decoder(keras.layers.Layer):\n';

ruleTester('mask-not-passed-with-two-inputs', {
  valid: [
    { name: 'an else branch binds the name', code: HEAD + '    def call(self, inputs, encoder_outputs, mask=None):\n        if mask is not None:\n            padding_mask = mask\n        else:\n            padding_mask = None\n        return inputs + padding_mask\n' },
    { name: 'one tensor argument: Keras 3 passes mask', code: HEAD + '    def call(self, inputs, mask=None):\n        if mask is not None:\n            padding_mask = mask\n        return inputs * padding_mask\n' },
    { name: 'training is no tensor argument', code: HEAD + '    def call(self, inputs, training, mask=None):\n        if mask is not None:\n            padding_mask = mask\n        return inputs * padding_mask\n' },
    { name: 'the name is bound before the if', code: HEAD + '    def call(self, inputs, encoder_outputs, mask=None):\n        padding_mask = None\n        if mask is not None:\n            padding_mask = mask\n        return inputs + padding_mask\n' },
    { name: 'the name is read only inside the if', code: HEAD + '    def call(self, inputs, encoder_outputs, mask=None):\n        if mask is not None:\n            padding_mask = mask\n            inputs = inputs * padding_mask\n        return inputs + encoder_outputs\n' },
    { name: 'not a Keras layer', code: 'class Decoder:\n    def call(self, inputs, encoder_outputs, mask=None):\n        if mask is not None:\n            padding_mask = mask\n        return inputs + padding_mask\n' },
    { name: 'a default for the second argument', code: HEAD + '    def call(self, inputs, encoder_outputs=None, mask=None):\n        if mask is not None:\n            padding_mask = mask\n        return inputs + padding_mask\n' },
    { name: 'the program passes mask= itself', code: HEAD + '    def call(self, inputs, encoder_outputs, mask=None):\n        if mask is not None:\n            padding_mask = mask\n        return inputs + padding_mask\n\nclass Model(keras.Model):\n    def call(self, x, enc, mask):\n        return self.decoder(x, enc, mask=mask)\n' },
    { name: 'another method', code: HEAD + '    def decode(self, inputs, encoder_outputs, mask=None):\n        if mask is not None:\n            padding_mask = mask\n        return inputs + padding_mask\n' }
  ],
  invalid: [
    {
      // keras.io FNet text generation and English-to-Spanish Transformer decoders (tf.keras era): UnboundLocalError on TensorFlow, JAX and PyTorch in Keras 3.15 while the functional model is built; with the else branch the model built and trained on all three (python_kernel_hooks/tests/claims/mask_not_passed_with_two_inputs.py).
      name: 'keras.io Transformer decoder: padding_mask bound only under the if (a suggestion)',
      code: 'import tensorflow as tf\nfrom tensorflow.keras import layers\nclass FNetDecoder(layers.Layer):\n    def call(self, inputs, encoder_outputs, mask=None):\n        causal_mask = self.get_causal_attention_mask(inputs)\n        if mask is not None:\n            padding_mask = tf.cast(mask[:, tf.newaxis, :], dtype="int32")\n            padding_mask = tf.minimum(padding_mask, causal_mask)\n\n        out = self.attention_2(query=inputs, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask)\n        return out\n',
      errors: [{ line: 6, column: 12, message: 'Keras 3 passes `mask` only' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      fixOptions: { unsafe: true },
      output: 'import tensorflow as tf\nfrom tensorflow.keras import layers\nclass FNetDecoder(layers.Layer):\n    def call(self, inputs, encoder_outputs, mask=None):\n        causal_mask = self.get_causal_attention_mask(inputs)\n        if mask is not None:\n            padding_mask = tf.cast(mask[:, tf.newaxis, :], dtype="int32")\n            padding_mask = tf.minimum(padding_mask, causal_mask)\n        else:\n            padding_mask = None\n\n        out = self.attention_2(query=inputs, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask)\n        return out\n'
    },
    {
      name: 'two names bound under the if, both read after it',
      code: HEAD + '    def call(self, inputs, context, mask=None):\n        if mask is not None:\n            a = mask\n            b = mask\n        return inputs + a + b + context\n',
      errors: [{ line: 4, column: 12 }],
      fixOptions: { unsafe: true },
      output: HEAD + '    def call(self, inputs, context, mask=None):\n        if mask is not None:\n            a = mask\n            b = mask\n        else:\n            a = None\n            b = None\n        return inputs + a + b + context\n'
    }
  ]
});
