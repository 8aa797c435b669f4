import { ruleTester } from '../rule-tester';

ruleTester('single-loss-with-loss-weights', {
  valid: [
    { name: 'one loss per weight', code: 'model.compile(loss=["mse", "mae"], loss_weights=[0.9, 0.1])\n' },
    { name: 'a dict of losses', code: 'model.compile(loss={"a": "mse", "b": "mae"}, loss_weights={"a": 0.9, "b": 0.1})\n' },
    { name: 'one weight', code: 'model.compile(loss="mse", loss_weights=[1.0])\n' },
    { name: 'a name of unknown value for the loss (it may hold a list)', code: 'model.compile(loss=losses, loss_weights=[0.9, 0.1])\n' },
    { name: 'weights of unknown length', code: 'model.compile(loss="mse", loss_weights=weights)\n' }
  ],
  invalid: [
    {
      // /work/og48a repro_1 (Géron's handson-ml2 ch. 10 WideAndDeepModel): "`loss_weights` must match the number of
      // losses, got 1 losses and 2 weights." on all three; repeated, it ran on all three (repro_1c).
      name: 'a string loss with a list of weights, and a loss function of the cell with a dict of weights',
      code:
        'import keras\nmodel.compile(loss="mse", loss_weights=[0.9, 0.1], optimizer="sgd")\n' +
        'def my_loss(y_true, y_pred):\n    return keras.ops.mean((y_true - y_pred) ** 2)\nm2.compile("adam", my_loss, loss_weights={"main": 1.0, "aux": 0.5})\n' +
        'm3.compile(loss=keras.losses.MeanSquaredError(), loss_weights=(1, 2, 3))\n',
      errors: [{ line: 2, column: 20, message: 'Keras 2 applied this one loss to every output' }, { line: 5, column: 20 }, { line: 6, column: 17 }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import keras\nmodel.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer="sgd")\n' +
        'def my_loss(y_true, y_pred):\n    return keras.ops.mean((y_true - y_pred) ** 2)\nm2.compile("adam", {"main": my_loss, "aux": my_loss}, loss_weights={"main": 1.0, "aux": 0.5})\n' +
        'm3.compile(loss=[keras.losses.MeanSquaredError(), keras.losses.MeanSquaredError(), keras.losses.MeanSquaredError()], loss_weights=(1, 2, 3))\n'
    },
    {
      name: 'the doc example',
      code: 'model.compile(loss="mse", loss_weights=[0.9, 0.1], optimizer="sgd")\n',
      errors: [{ line: 1, column: 20 }],
      output: 'model.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer="sgd")\n'
    }
  ]
});
