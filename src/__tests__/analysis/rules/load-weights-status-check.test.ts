import { ruleTester } from '../rule-tester';

const HEAD = 'import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\nmodel.save_weights("cp.weights.h5")\n';

ruleTester('load-weights-status-check', {
  valid: [
    { name: 'the load alone', code: HEAD + 'model.load_weights("cp.weights.h5")\n' },
    { name: 'a tf.train.Checkpoint restore status (KM241 territory)', code: 'import tensorflow as tf\nckpt = tf.train.Checkpoint(step=tf.Variable(1))\nckpt.restore("x").expect_partial()\n' }
  ],
  invalid: [
    {
      // TensorFlow tutorials; "'NoneType' object has no attribute 'expect_partial'" on tf/jax/torch (Keras 3.15).
      name: 'a chained expect_partial()',
      code: HEAD + 'model.load_weights("cp.weights.h5").expect_partial()\n',
      errors: [{ line: 4, column: 37 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output: HEAD + 'model.load_weights("cp.weights.h5")\n'
    },
    {
      // keras.io serialization guide (helper oe41c).
      name: 'the status kept in a name and checked on a line of its own; a check whose value is used keeps no fix',
      code: HEAD + 'status = model.load_weights("cp.weights.h5")\nstatus.assert_consumed()\nprint("loaded")\nok = model.load_weights("cp.weights.h5").assert_existing_objects_matched()\n',
      errors: [{ line: 5, column: 8 }, { line: 7, column: 42 }],
      output: HEAD + 'status = model.load_weights("cp.weights.h5")\nprint("loaded")\nok = model.load_weights("cp.weights.h5").assert_existing_objects_matched()\n'
    }
  ]
});
