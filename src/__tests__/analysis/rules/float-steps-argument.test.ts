import { ruleTester } from '../rule-tester';

ruleTester('float-steps-argument', {
  valid: [
    { name: 'an int', code: 'model.fit(ds, steps_per_epoch=10)\n' },
    { name: 'floor division and math.ceil', code: 'import math\nmodel.fit(ds, steps_per_epoch=n // 32, validation_steps=math.ceil(m / 32))\n' },
    { name: 'int() of a NumPy rounding', code: 'import numpy as np\nsteps = int(np.ceil(n / 32))\nmodel.fit(ds, steps_per_epoch=steps)\n' },
    { name: 'a name of unknown value', code: 'model.evaluate(ds, steps=steps)\n' },
    { name: 'not a model method', code: 'import numpy as np\nnp.fit(steps=np.ceil(2.5))\n' }
  ],
  invalid: [
    {
      name: 'TensorFlow imbalanced-data tutorial: a NumPy ceil assigned to a name',
      code:
        'import numpy as np\nresampled_steps_per_epoch = np.ceil(2.0 * neg / BATCH_SIZE)\nmodel.fit(resampled_ds, epochs=3, steps_per_epoch=resampled_steps_per_epoch, validation_data=val_ds)\n',
      errors: [{ line: 3, column: 51, message: "'float' object cannot be interpreted as an integer" }],
      blocks: ['tensorflow', 'jax', 'torch'],
      output:
        'import math\nimport numpy as np\nresampled_steps_per_epoch = np.ceil(2.0 * neg / BATCH_SIZE)\nmodel.fit(resampled_ds, epochs=3, steps_per_epoch=math.ceil(resampled_steps_per_epoch), validation_data=val_ds)\n'
    },
    {
      name: 'true divisions in fit and evaluate',
      code: 'import math\nmodel.fit(x, y, steps_per_epoch=len(x) / 16, validation_steps=(len(v) / 16))\nmodel.evaluate(x, y, steps=2.0)\n',
      errors: [{ line: 2, column: 33 }, { line: 2, column: 63 }, { line: 3, column: 28 }],
      output: 'import math\nmodel.fit(x, y, steps_per_epoch=math.ceil(len(x) / 16), validation_steps=math.ceil((len(v) / 16)))\nmodel.evaluate(x, y, steps=math.ceil(2.0))\n'
    }
  ]
});
