import { ruleTester } from '../rule-tester';

ruleTester('one-hot-index-past-depth', {
  valid: [
    { name: 'class labels', code: 'import keras\ndef encode(labels):\n    return keras.ops.one_hot(labels, 10)\n' },
    { name: 'an argmax index is always below the depth', code: 'import keras\ndef encode(logits):\n    return keras.ops.one_hot(keras.ops.argmax(logits, axis=-1), 4)\n' },
    { name: 'already mapped', code: 'import keras\ndef f(m, c):\n    p = keras.ops.cumsum(m, axis=0)\n    return keras.ops.one_hot(keras.ops.where(p < c, p, -1), c)\n' },
    // examples/runnable/converted/switch_transformer_moe.py runs on PyTorch.
    { name: 'clamped below the depth with minimum', code: 'import keras\ndef f(m, c):\n    p = keras.ops.cumsum(m, axis=0)\n    return keras.ops.one_hot(keras.ops.minimum(p, c - 1), c)\n' },
    { name: 'clipped into range', code: 'from keras import ops\ndef f(m, c):\n    p = ops.cumsum(m, axis=0)\n    return ops.one_hot(ops.clip(p, 0, c - 1), c)\n' }
  ],
  invalid: [
    {
      name: 'Switch Transformer router: positions in each expert one-hot encoded with the capacity as depth',
      code:
        'import keras\n\nclass Router(keras.layers.Layer):\n    def call(self, expert_mask):\n        position_in_expert = keras.ops.cast(keras.ops.cumsum(expert_mask, axis=0) * expert_mask, "int32")\n        return keras.ops.squeeze(keras.ops.one_hot(position_in_expert, num_classes=self.expert_capacity), 1)\n',
      errors: [{ line: 6, column: 52 }],
      blocks: ['torch'],
      output:
        'import keras\n\nclass Router(keras.layers.Layer):\n    def call(self, expert_mask):\n        position_in_expert = keras.ops.cast(keras.ops.cumsum(expert_mask, axis=0) * expert_mask, "int32")\n        return keras.ops.squeeze(keras.ops.one_hot(keras.ops.where(position_in_expert < self.expert_capacity, position_in_expert, -1), num_classes=self.expert_capacity), 1)\n'
    },
    {
      name: 'cumsum written in the index: a suggestion',
      code: 'import keras\ndef f(m):\n    return keras.ops.one_hot(keras.ops.cumsum(m) - 1, 4)\n',
      errors: [{ line: 3, column: 30 }],
      fixOptions: { unsafe: true },
      output: 'import keras\ndef f(m):\n    return keras.ops.one_hot(keras.ops.where(keras.ops.cumsum(m) - 1 < 4, keras.ops.cumsum(m) - 1, -1), 4)\n'
    }
  ]
});
