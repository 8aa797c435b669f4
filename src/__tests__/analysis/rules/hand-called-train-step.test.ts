import { ruleTester } from '../rule-tester';

const SEQUENTIAL = 'import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse")\n';

// The TensorFlow text generation tutorial's CustomTraining model once KM141 made its train_step a
// compute_loss() override: the hand loop's `model.train_step([inp, target])` then failed on JAX;
// with train_on_batch it ran on TensorFlow, JAX and PyTorch.
const SUBCLASS =
  'import keras\nclass MyModel(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.dense = keras.layers.Dense(1)\n\n    def call(self, x):\n        return self.dense(x)\n\nclass CustomTraining(MyModel):\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return keras.ops.sum(self.loss(y, y_pred))\n\nmodel = CustomTraining()\n';

ruleTester('hand-called-train-step', {
  valid: [
    { name: 'a model class of the notebook with its own train_step(self, data) runs the hand call on every backend', code: 'import keras\nclass M(keras.Model):\n    def train_step(self, data):\n        return {}\nmodel = M()\nlogs = model.train_step((x, y))\n' },
    { name: 'a subclass of a notebook class that defines train_step', code: 'import keras\nclass Base(keras.Model):\n    def train_step(self, data):\n        return {}\nclass M(Base):\n    pass\nmodel = M()\nlogs = model.train_step((x, y))\n' },
    { name: 'a subclass of a class not seen here', code: 'import keras\nfrom lib import Base\nclass M(Base):\n    pass\nmodel = M()\nlogs = model.train_step((x, y))\n' },
    { name: 'a train_step of self (a model delegating inside its own step)', code: 'import keras\nclass M(keras.Model):\n    def step(self, data):\n        return self.train_step(data)\n' },
    { name: 'an object not known to be a Keras model', code: 'import keras\nlogs = trainer.train_step((x, y))\n' },
    { name: 'the JAX signature, called with state and data', code: SEQUENTIAL + 'logs, state = model.train_step(state, (x, y))\n' },
    { name: 'train_on_batch', code: SEQUENTIAL + 'logs = model.train_on_batch(x, y, return_dict=True)\n' }
  ],
  invalid: [
    {
      name: 'a Sequential model\'s train_step called by hand on [x, y] (ran: TypeError on JAX only)',
      code: SEQUENTIAL + 'for x, y in batches:\n    logs = model.train_step([x, y])\n',
      errors: [{ line: 5, column: 12 }],
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output: SEQUENTIAL + 'for x, y in batches:\n    logs = model.train_on_batch(keras.ops.convert_to_numpy(x), keras.ops.convert_to_numpy(y), return_dict=True)\n'
    },
    {
      name: 'a notebook subclass without a train_step of its own (the text generation tutorial after KM141\'s fix)',
      code: SUBCLASS + 'for inp, target in batches:\n    logs = model.train_step([inp, target])\n',
      errors: [{ line: 16, column: 12 }],
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output: SUBCLASS + 'for inp, target in batches:\n    logs = model.train_on_batch(keras.ops.convert_to_numpy(inp), keras.ops.convert_to_numpy(target), return_dict=True)\n'
    },
    {
      name: 'x, y and sample weights in a tuple; the class in an earlier cell',
      code: ['import keras\nclass M(keras.Model):\n    def call(self, x):\n        return x\n', 'model = M()\nmodel.train_step((x, y, w))\n'],
      errors: [{ cell: 1, line: 2, column: 1 }],
      blocks: ['jax'],
      fixOptions: { unsafe: true },
      output: ['import keras\nclass M(keras.Model):\n    def call(self, x):\n        return x\n', 'model = M()\nmodel.train_on_batch(x, y, w, return_dict=True)\n']
    },
    {
      name: 'a batch held in a name: no fix (it may be x alone)',
      code: SEQUENTIAL + 'for batch in dataset:\n    model.train_step(batch)\n',
      errors: [{ line: 5, column: 5, message: 'train_on_batch' }],
      blocks: ['jax']
    }
  ]
});
