import { ruleTester } from '../rule-tester';

const HEAD = 'import tensorflow as tf\nfrom tensorflow import keras\n\n\n';
const DECODER_UNBOUND =
  'class TransformerDecoder(keras.layers.Layer):\n' +
  '    def call(self, inputs, encoder_outputs, mask=None):\n' +
  '        causal_mask = self.causal(inputs)\n' +
  '        if mask is not None:\n' +
  '            padding_mask = tf.cast(mask[:, tf.newaxis, :], dtype="int32")\n' +
  '            padding_mask = tf.minimum(padding_mask, causal_mask)\n' +
  '        out = self.attention(query=inputs, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask)\n' +
  '        return out\n';
const DECODER_UNBOUND_FIXED =
  'class TransformerDecoder(keras.layers.Layer):\n' +
  '    def call(self, inputs, encoder_outputs, mask=None, inputs_mask=None):\n' +
  '        if mask is None:\n' +
  '            mask = inputs_mask\n' +
  '        causal_mask = self.causal(inputs)\n' +
  '        if mask is not None:\n' +
  '            padding_mask = tf.cast(mask[:, tf.newaxis, :], dtype="int32")\n' +
  '            padding_mask = tf.minimum(padding_mask, causal_mask)\n' +
  '        out = self.attention(query=inputs, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask)\n' +
  '        return out\n';

ruleTester('mask-with-several-inputs', {
  valid: [
    {
      name: 'one input: Keras 3 fills mask',
      code: HEAD + 'class Enc(keras.layers.Layer):\n    def call(self, inputs, mask=None):\n        if mask is not None:\n            m = mask\n        return inputs * m\n'
    },
    {
      name: 'training is no input',
      code: HEAD + 'class Enc(keras.layers.Layer):\n    def call(self, inputs, training, mask=None):\n        return inputs if mask is None else inputs * mask\n'
    },
    {
      name: 'the Keras 3 spelling already',
      code: HEAD + 'class Dec(keras.layers.Layer):\n    def call(self, inputs, context, mask=None, inputs_mask=None):\n        return inputs if mask is None else inputs * mask\n'
    },
    {
      name: 'a required mask is always passed by the caller',
      code: HEAD + 'class Att(keras.layers.Layer):\n    def call(self, v, k, q, mask):\n        return q * mask\n'
    },
    {
      name: 'mask never read',
      code: HEAD + 'class Dec(keras.layers.Layer):\n    def call(self, inputs, context, mask=None):\n        return inputs + context\n'
    },
    {
      name: 'not a Keras class',
      code: HEAD + 'class Dec:\n    def call(self, inputs, context, mask=None):\n        return inputs if mask is None else inputs * mask\n'
    },
    {
      name: 'every call passes mask= (keras.io image captioning)',
      code:
        HEAD +
        DECODER_UNBOUND +
        'class Captioner(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.decoder = TransformerDecoder()\n    def call(self, batch):\n        x, y = batch\n        mask = tf.math.not_equal(y, 0)\n        return self.decoder(x, y, training=False, mask=mask)\n'
    },
    {
      name: 'mask= passed in a later cell',
      code: [HEAD + DECODER_UNBOUND, 'dec = TransformerDecoder()\nout = dec(x, enc, mask=m)\n']
    },
    {
      name: '*args: the inputs Keras counts are unknown',
      code: HEAD + 'class Dec(keras.layers.Layer):\n    def call(self, inputs, *args, mask=None):\n        return inputs if mask is None else inputs * mask\n'
    }
  ],
  invalid: [
    {
      name: 'keras.io English-to-Spanish Transformer: padding_mask unbound without a mask (safe fix)',
      code: HEAD + DECODER_UNBOUND + 'x = TransformerDecoder()(x, encoded_seq_inputs)\n',
      errors: [{ line: 6, column: 9, message: '`padding_mask`, set only under `if mask is not None:`, raises UnboundLocalError' }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: HEAD + DECODER_UNBOUND_FIXED + 'x = TransformerDecoder()(x, encoded_seq_inputs)\n'
    },
    {
      name: 'an else branch: the layer runs without the padding (a suggestion, blocks nothing)',
      code:
        HEAD +
        'class Dec(keras.layers.Layer):\n    def call(self, inputs, context, mask=None):\n        """Decodes."""\n        if mask is not None:\n            pad = mask\n        else:\n            pad = None\n        return self.att(inputs, context, attention_mask=pad)\n',
      errors: [{ line: 6, column: 9, message: 'the layer runs but ignores the padding' }],
      blocks: [],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class Dec(keras.layers.Layer):\n    def call(self, inputs, context, mask=None, inputs_mask=None):\n        """Decodes."""\n        if mask is None:\n            mask = inputs_mask\n        if mask is not None:\n            pad = mask\n        else:\n            pad = None\n        return self.att(inputs, context, attention_mask=pad)\n'
    },
    {
      name: 'a model subclass, keyword-only and typed parameters, a read in a later test of mask is no unbound read',
      code:
        HEAD +
        'class M(keras.Model):\n    def call(self, a: int, b, *, training=None, mask=None):\n        if mask is not None:\n            m = mask\n        if mask is not None:\n            a = a * m\n        return a + b\n',
      errors: [{ line: 6, column: 9, message: 'ignores the padding' }],
      blocks: [],
      fixOptions: { unsafe: true },
      output:
        HEAD +
        'class M(keras.Model):\n    def call(self, a: int, b, *, training=None, mask=None, a_mask=None):\n        if mask is None:\n            mask = a_mask\n        if mask is not None:\n            m = mask\n        if mask is not None:\n            a = a * m\n        return a + b\n'
    }
  ]
});
