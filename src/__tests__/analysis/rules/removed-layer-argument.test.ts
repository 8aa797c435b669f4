import { ruleTester } from '../rule-tester';

ruleTester('removed-layer-argument', {
  valid: [
    { code: 'import keras\ne = keras.layers.Embedding(100, 8)\n' },
    { name: 'Keras 3 spellings', code: 'import keras\nx = keras.Input(batch_shape=(32, 4))\ny = keras.layers.Input((4,), batch_size=32)\ne = keras.layers.Embedding(100, 8, weights=[matrix], trainable=False)\nr = keras.callbacks.ReduceLROnPlateau(min_delta=1e-4)\n' },
    { name: 'InputLayer keeps batch_input_shape', code: 'import keras\nl = keras.layers.InputLayer(batch_input_shape=(None, 4))\n' },
    { name: 'a notebook class with its own arguments', code: 'import keras\nclass Block(keras.layers.Layer):\n    def __init__(self, batch_size, **kwargs):\n        super().__init__(**kwargs)\nb = Block(batch_size=8)\n' },
    { code: 'import keras\nr = keras.regularizers.l2(0.01)\ns = keras.regularizers.L1(l1=0.01)\n' }
  ],
  invalid: [
    {
      // Keras 3.15: ValueError at the callback on PyTorch, made on TensorFlow and JAX (claims program tensorboard_profile_batch.py).
      name: 'TensorBoard(profile_batch=N) fails on PyTorch only: 0 there, safe',
      code: 'import keras\ntb = keras.callbacks.TensorBoard("logs", profile_batch=(10, 20))\ntb2 = keras.callbacks.TensorBoard("logs", profile_batch=n + 1)\nquiet = keras.callbacks.TensorBoard("logs", profile_batch=0)\n',
      errors: [{ line: 2, column: 42 }, { line: 3, column: 43 }],
      blocks: ['torch'],
      output: 'import keras\ntb = keras.callbacks.TensorBoard("logs", profile_batch=(10, 20) if keras.backend.backend() != "torch" else 0)\ntb2 = keras.callbacks.TensorBoard("logs", profile_batch=(n + 1) if keras.backend.backend() != "torch" else 0)\nquiet = keras.callbacks.TensorBoard("logs", profile_batch=0)\n'
    },
    {
      // /work/og48c repros 2 and 2c (Chollet's DLwP ch. 12): "unexpected keyword argument 'smart_resize'" on all three;
      // renamed, both ran on all three.
      name: 'image_dataset_from_directory(smart_resize=) and to_categorical(y=)',
      code:
        'import keras\nds = keras.utils.image_dataset_from_directory("d", image_size=(16, 16), smart_resize=True)\n' +
        'old = keras.preprocessing.image_dataset_from_directory("d", smart_resize=True)\ny = keras.utils.to_categorical(y=[0, 1, 2], num_classes=3)\n',
      errors: [{ line: 2, column: 73 }, { line: 3, column: 61 }, { line: 4, column: 32 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import keras\nds = keras.utils.image_dataset_from_directory("d", image_size=(16, 16), crop_to_aspect_ratio=True)\n' +
        'old = keras.preprocessing.image_dataset_from_directory("d", crop_to_aspect_ratio=True)\ny = keras.utils.to_categorical(x=[0, 1, 2], num_classes=3)\n'
    },
    {
      name: 'batch_input_shape on the first layer of a Sequential list becomes keras.Input(batch_shape=)',
      code: 'import tensorflow as tf\nfrom tensorflow.keras import layers\nm = tf.keras.Sequential([\n    layers.LSTM(8, stateful=True, batch_input_shape=(4, 10, 1)),\n    layers.Dense(1),\n])\nn = tf.keras.Sequential([layers.Dense(2), layers.Dense(1, batch_input_shape=(2, 3))])\n',
      errors: [{ line: 4, column: 35 }, { line: 7, column: 59 }],
      output:
        'import tensorflow as tf\nfrom tensorflow.keras import layers\nimport keras\nm = tf.keras.Sequential([\n    keras.Input(batch_shape=(4, 10, 1)), layers.LSTM(8, stateful=True),\n    layers.Dense(1),\n])\nn = tf.keras.Sequential([layers.Dense(2), layers.Dense(1, batch_input_shape=(2, 3))])\n'
    },
    {
      code: 'import keras\ne = keras.layers.Embedding(100, 8, input_length=20)\nb = keras.layers.BatchNormalization(fused=True)\n',
      errors: [{ line: 2, column: 36 }, { line: 3, column: 37 }],
      fixOptions: { unsafe: true },
      output: 'import keras\ne = keras.layers.Embedding(100, 8)\nb = keras.layers.BatchNormalization()\n'
    },
    {
      name: 'input_length= and ReduceLROnPlateau(epsilon=) run on Keras 3 (dropped, with or without a warning): they block no backend',
      code: 'import keras\ne = keras.layers.Embedding(100, 8, input_length=20)\nlr = keras.callbacks.ReduceLROnPlateau(epsilon=1e-4)\n',
      errors: [{ line: 2, column: 36, message: 'drops it with a warning' }, { line: 3, column: 40, message: 'ignored by Keras 3' }],
      blocks: [],
      output: 'import keras\ne = keras.layers.Embedding(100, 8, input_length=20)\nlr = keras.callbacks.ReduceLROnPlateau(min_delta=1e-4)\n'
    },
    {
      name: 'an argument Keras 3 rejects blocks every backend',
      code: 'import keras\nb = keras.layers.BatchNormalization(fused=True)\nd = keras.layers.Dense(4, batch_input_shape=(None, 3))\n',
      errors: [{ line: 2, column: 37 }, { line: 3, column: 27 }],
      blocks: ['tensorflow', 'jax', 'torch']
    },
    {
      name: 'Keras 2 base-layer arguments',
      code: 'from tensorflow.keras.layers import Dense, LSTM\nd = Dense(8, batch_input_shape=(None, 4))\nl = LSTM(4, stateful=True, batch_size=16, input_shape=(10, 3))\nw = Dense(8, weights=[kernel, bias])\n',
      errors: [{ line: 2, column: 14, message: 'batch_shape' }, { line: 3, column: 28 }, { line: 4, column: 14, message: 'set_weights' }]
    },
    {
      name: 'callbacks: ignored TensorBoard arguments and ReduceLROnPlateau(epsilon=)',
      code: 'import tensorflow as tf\ntb = tf.keras.callbacks.TensorBoard(log_dir="logs", histogram_freq=1, write_grads=True, batch_size=32)\nlr = tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, epsilon=1e-4)\nck = tf.keras.callbacks.ModelCheckpoint("best.keras", period=5)\n',
      errors: [{ line: 2, column: 71 }, { line: 2, column: 89 }, { line: 3, column: 75, message: 'ignored by Keras 3' }, { line: 4, column: 55, message: 'save_freq' }],
      output: 'import tensorflow as tf\ntb = tf.keras.callbacks.TensorBoard(log_dir="logs", histogram_freq=1)\nlr = tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, min_delta=1e-4)\nck = tf.keras.callbacks.ModelCheckpoint("best.keras", period=5)\n'
    },
    {
      // helper oe40e (TF save_and_load tutorial): "ModelCheckpoint.__init__() got an unexpected keyword argument 'period'" on all three.
      name: 'ModelCheckpoint(period=): dropped by the suggestion (written every epoch)',
      code: 'import keras\nck = keras.callbacks.ModelCheckpoint("cp-{epoch:04d}.weights.h5", save_weights_only=True, period=5)\n',
      errors: [{ line: 2, column: 91, message: 'written every epoch' }],
      fixOptions: { unsafe: true },
      output: 'import keras\nck = keras.callbacks.ModelCheckpoint("cp-{epoch:04d}.weights.h5", save_weights_only=True)\n'
    },
    {
      name: 'regularizer factor spelled l=',
      code: 'import tensorflow as tf\nd = tf.keras.layers.Dense(4, kernel_regularizer=tf.keras.regularizers.l2(l=0.01))\n',
      errors: [{ line: 2, column: 74, message: 'l2=' }],
      output: 'import tensorflow as tf\nd = tf.keras.layers.Dense(4, kernel_regularizer=tf.keras.regularizers.l2(l2=0.01))\n'
    },
    {
      name: 'Keras 2 preprocessing-layer aliases bins= and max_tokens=, through layers.experimental.preprocessing',
      code: 'from tensorflow.keras.layers.experimental import preprocessing\nb = preprocessing.Discretization(bins=[0.5, 1.0])\ne = preprocessing.CategoryEncoding(max_tokens=3, output_mode="binary")\n',
      errors: [{ line: 2, column: 34, message: 'bin_boundaries=' }, { line: 3, column: 36, message: 'num_tokens=' }],
      output: 'from tensorflow.keras.layers.experimental import preprocessing\nb = preprocessing.Discretization(bin_boundaries=[0.5, 1.0])\ne = preprocessing.CategoryEncoding(num_tokens=3, output_mode="binary")\n'
    }
  ]
});
