import { ruleTester } from '../rule-tester';

ruleTester('export-on-torch', {
  valid: [
    { name: 'module functions are not Model.export', code: 'import torch\nprog = torch.export.export(m, args)\n' },
    { name: 'ONNX takes its own path', code: 'model.export("m.onnx", format="onnx")\n' },
    { name: 'not a model', code: 'df.export("table.csv")\n' }
  ],
  invalid: [
    {
      code: 'import keras\nmodel = keras.Sequential()\nmodel.export("serving")\n',
      errors: [{ line: 3, column: 1, message: 'PyTorch' }]
    },
    {
      name: 'named like a model, explicit SavedModel format',
      code: 'self.classifier.export(out_dir, format="tf_saved_model")\n',
      errors: [{ line: 1, column: 1 }]
    }
  ]
});
