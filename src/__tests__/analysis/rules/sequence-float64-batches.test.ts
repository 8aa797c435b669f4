import { ruleTester } from '../rule-tester';

const HEAD = 'import numpy as np\nimport tensorflow as tf\n';

/** A depth-map loader in the keras.io style: a helper fills float64 batches that __getitem__ returns. */
const LOADER =
  HEAD +
  'class DepthBatches(tf.keras.utils.Sequence):\n    def __init__(self, n, dim):\n        self.n = n\n        self.dim = dim\n\n    def __len__(self):\n        return 3\n\n' +
  '    def __getitem__(self, index):\n        return self.make(index)\n\n' +
  '    def make(self, index):\n        x = np.empty((self.n, *self.dim, 3))\n        y = np.zeros((self.n, *self.dim, 1))\n        for i in range(self.n):\n            x[i] = np.random.rand(*self.dim, 3)\n            y[i] = np.random.rand(*self.dim, 1)\n        return x, y\n';

/** A float32 input and float64 targets, and a model whose steps use them (STEP). */
const TARGETS =
  'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 2\n\n    def __getitem__(self, index):\n        x = np.empty((4, 8), dtype="float32")\n        y = np.empty((4, 1))\n        x[:] = np.random.rand(4, 8)\n        y[:] = np.random.rand(4, 1)\n        return x, y\n\n\n' +
  'class Regressor(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n\n    def call(self, x):\n        return self.dense(x)\n\n';
const TAPE_STEP = (loss: string): string =>
  '    def train_step(self, data):\n        x, y = data\n        with tf.GradientTape() as tape:\n            pred = self(x, training=True)\n            loss = ' + loss + '\n        gradients = tape.gradient(loss, self.trainable_variables)\n        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))\n        return {"loss": loss}\n';
const FIT = '\n\nmodel = Regressor()\nmodel.compile(optimizer="adam")\nmodel.fit(Batches(), epochs=1, verbose=0)\n';
const TARGETS_FIXED = (code: string): string => code.replace('y = np.empty((4, 1))', 'y = np.empty((4, 1), dtype="float32")');

ruleTester('sequence-float64-batches', {
  valid: [
    { name: 'a dtype given', code: 'import numpy as np\nimport keras\nclass B(keras.utils.Sequence):\n    def __getitem__(self, i):\n        x = np.empty((4, 2), dtype="float32")\n        y = np.zeros((4, 1), np.float32)\n        return x, y\n' },
    { name: 'not a Keras dataset class', code: 'import numpy as np\nclass B:\n    def __getitem__(self, i):\n        x = np.empty((4, 2))\n        return x\n' },
    { name: 'an array that is not returned (a work buffer)', code: 'import numpy as np\nimport keras\nclass B(keras.utils.PyDataset):\n    def __getitem__(self, i):\n        buf = np.zeros((4, 2))\n        return buf.astype("float32"), np.ones((4, 1), dtype="float32")\n' },
    { name: 'made at module level', code: 'import numpy as np\nimport keras\nx = np.empty((4, 2))\n' }
  ],
  invalid: [
    {
      // Ran on Keras 3.15 (python_kernel_hooks/tests/claims/sequence_float64_targets_train_step.py):
      // TensorFlow failed with "Input 'y' of 'Sub' Op has type float32 that does not match type float64";
      // tf_keras 2.21 trained (its fit() cast the batches).
      name: 'float64 targets mixed with the predictions in a train_step (a Python operator in a TF op): TensorFlow claimed',
      code: TARGETS + TAPE_STEP('tf.reduce_mean(tf.abs(y - pred))') + FIT,
      errors: [{ line: 12, column: 13, message: '`y` is a batch this dataset returns' }],
      blocks: ['tensorflow'],
      output: TARGETS_FIXED(TARGETS + TAPE_STEP('tf.reduce_mean(tf.abs(y - pred))') + FIT)
    },
    {
      // keras.io's monocular depth estimation: the step hands the targets to its own loss method, which
      // gives them to tf.image.ssim beside the predictions.
      name: 'targets handed to a method of the model that mixes them in a tf op: TensorFlow claimed',
      code:
        TARGETS +
        '    def calculate_loss(self, target, pred):\n        return 1 - tf.reduce_mean(tf.image.ssim(target, pred, max_val=1.0))\n\n' +
        '    def test_step(self, batch_data):\n        input, target = batch_data\n        pred = self(input, training=False)\n        return {"loss": self.calculate_loss(target, pred)}\n' +
        FIT,
      errors: [{ line: 12, column: 13 }],
      blocks: ['tensorflow']
      ,
      output: TARGETS_FIXED(
        TARGETS +
          '    def calculate_loss(self, target, pred):\n        return 1 - tf.reduce_mean(tf.image.ssim(target, pred, max_val=1.0))\n\n' +
          '    def test_step(self, batch_data):\n        input, target = batch_data\n        pred = self(input, training=False)\n        return {"loss": self.calculate_loss(target, pred)}\n' +
          FIT
      )
    },
    {
      name: 'notebook: the dataset in one cell, the model whose step mixes the targets in a later one: TensorFlow claimed',
      code: [TARGETS.split('class Regressor')[0], 'class Regressor' + TARGETS.split('class Regressor')[1] + TAPE_STEP('tf.reduce_mean(tf.abs(y - pred))') + FIT],
      errors: [{ cell: 0, line: 12, column: 13 }],
      blocks: ['tensorflow'],
      output: [TARGETS_FIXED(TARGETS.split('class Regressor')[0]), 'class Regressor' + TARGETS.split('class Regressor')[1] + TAPE_STEP('tf.reduce_mean(tf.abs(y - pred))') + FIT]
    },
    {
      // A compiled loss casts the targets to its dtype (ran: trained on TensorFlow with float64 targets).
      name: 'targets only given to a compiled loss: no backend claimed',
      code: TARGETS + TAPE_STEP('self.compiled_loss(y, pred)') + FIT,
      errors: [{ line: 12, column: 13 }],
      blocks: [],
      output: TARGETS_FIXED(TARGETS + TAPE_STEP('self.compiled_loss(y, pred)') + FIT)
    },
    {
      // A reshape or a gather keeps the float64 targets apart from the predictions (ran: trained on TensorFlow).
      name: 'targets given to a tf op with a shape only, then to a compiled loss: no backend claimed',
      code: TARGETS + TAPE_STEP('self.compiled_loss(tf.reshape(y, [-1, 1]), pred)') + FIT,
      errors: [{ line: 12, column: 13 }],
      blocks: [],
      output: TARGETS_FIXED(TARGETS + TAPE_STEP('self.compiled_loss(tf.reshape(y, [-1, 1]), pred)') + FIT)
    },
    {
      name: 'targets cast before the step mixes them: no backend claimed',
      code: TARGETS + TAPE_STEP('tf.reduce_mean(tf.abs(tf.cast(y, tf.float32) - pred))') + FIT,
      errors: [{ line: 12, column: 13 }],
      blocks: [],
      output: TARGETS_FIXED(TARGETS + TAPE_STEP('tf.reduce_mean(tf.abs(tf.cast(y, tf.float32) - pred))') + FIT)
    },
    {
      name: 'the inputs (the first array returned) are cast by the model: no backend claimed',
      code: TARGETS.replace('x = np.empty((4, 8), dtype="float32")', 'x = np.empty((4, 8))').replace('y = np.empty((4, 1))', 'y = np.empty((4, 1), dtype="float32")') + TAPE_STEP('tf.reduce_mean(tf.abs(y - pred))') + FIT,
      errors: [{ line: 11, column: 13 }],
      blocks: [],
      output: TARGETS.replace('y = np.empty((4, 1))', 'y = np.empty((4, 1), dtype="float32")') + TAPE_STEP('tf.reduce_mean(tf.abs(y - pred))') + FIT
    },
    {
      // Ran on Keras 3.15 (keras.io's depth estimation, its loss on tf ops): TensorFlow failed with
      // "Input 'y' of 'Mul' Op has type float64"; with float32 batches it trained on all three backends.
      name: 'float64 batches made by a helper that returns them (np.empty, np.zeros)',
      code: LOADER,
      errors: [
        { line: 15, column: 13, message: '`np.empty(...)` makes float64 arrays, and `x` is a batch this dataset returns' },
        { line: 16, column: 13, message: '`np.zeros(...)` makes float64 arrays, and `y` is a batch' }
      ],
      output: LOADER.replace('np.empty((self.n, *self.dim, 3))', 'np.empty((self.n, *self.dim, 3), dtype="float32")').replace('np.zeros((self.n, *self.dim, 1))', 'np.zeros((self.n, *self.dim, 1), dtype="float32")')
    },
    {
      name: 'the rule\'s documented example: keras.utils.Sequence, __getitem__ returning x, y',
      code: 'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 4\n    def __getitem__(self, i):\n        x = np.empty((8, 32, 32, 3))\n        y = np.empty((8, 32, 32, 1))\n        return x, y\n',
      errors: [{ line: 7, column: 13 }, { line: 8, column: 13 }],
      output: 'import numpy as np\nimport keras\nclass Batches(keras.utils.Sequence):\n    def __len__(self):\n        return 4\n    def __getitem__(self, i):\n        x = np.empty((8, 32, 32, 3), dtype="float32")\n        y = np.empty((8, 32, 32, 1), dtype="float32")\n        return x, y\n'
    },
    {
      name: 'a PyDataset returning a single array (np.ones)',
      code: 'import numpy as np\nfrom keras.utils import PyDataset\nclass Ones(PyDataset):\n    def __getitem__(self, i):\n        batch = np.ones((2, 3))\n        return batch\n',
      errors: [{ line: 5, column: 17 }],
      output: 'import numpy as np\nfrom keras.utils import PyDataset\nclass Ones(PyDataset):\n    def __getitem__(self, i):\n        batch = np.ones((2, 3), dtype="float32")\n        return batch\n'
    }
  ]
});
