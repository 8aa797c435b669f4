import { ruleTester } from '../rule-tester';

ruleTester('removed-fit-arguments', {
  valid: [
    { code: 'model.fit(x, y, epochs=3)\n' },
    { code: 'import re\npattern = re.compile("a+")\nmodel.compile(optimizer="adam", loss="mse", jit_compile=False, steps_per_execution=4)\n' }
  ],
  invalid: [
    {
      code: 'model.fit_generator(gen, steps_per_epoch=10)\nmodel.fit(gen, workers=4)\n',
      errors: [{ line: 1, column: 7, endColumn: 20 }, { line: 2, column: 16 }],
      output: 'model.fit(gen, steps_per_epoch=10)\nmodel.fit(gen, workers=4)\n'
    },
    {
      // og47e repro_1 (Atienza's IIC and MINE): fit(generator=...) failed on every backend ("unexpected keyword argument 'generator'").
      name: 'the generator passed by keyword becomes x=',
      code: 'model.fit_generator(generator=gen, epochs=1)\nmodel.evaluate_generator(generator=gen, steps=2)\n',
      errors: [{ line: 1, column: 7 }, { line: 2, column: 7 }],
      output: 'model.fit(x=gen, epochs=1)\nmodel.evaluate(x=gen, steps=2)\n'
    },
    {
      name: 'Keras 2 compile() arguments',
      code: 'model.compile(optimizer="adam", loss="mse", sample_weight_mode="temporal", experimental_run_tf_function=False)\n',
      errors: [{ line: 1, column: 45, message: 'sample_weight_mode' }, { line: 1, column: 76, message: 'experimental_run_tf_function' }],
      output: 'model.compile(optimizer="adam", loss="mse", sample_weight_mode="temporal")\n'
    },
    {
      name: 'positional arguments after the generator keep their Keras 2 meaning',
      code: 'model.fit_generator(gen, 100, 5, verbose=2)\nscore = model.evaluate_generator(val_gen, 20)\n',
      errors: [{ line: 1, column: 7 }, { line: 2, column: 15 }],
      output: 'model.fit(gen, steps_per_epoch=100, epochs=5, verbose=2)\nscore = model.evaluate(val_gen, steps=20)\n'
    }
  ]
});
