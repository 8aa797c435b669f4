import { ruleTester } from '../rule-tester';

ruleTester('graph-mode', {
  valid: [
    { code: 'import tensorflow as tf\ntf.config.run_functions_eagerly(False)\ntf.compat.v1.enable_eager_execution()\n' }
  ],
  invalid: [
    {
      code: 'import tensorflow as tf\nimport tensorflow.compat.v1 as tf1\ntf.compat.v1.disable_eager_execution()\ntf1.disable_v2_behavior()\n',
      errors: [{ line: 3, column: 1, message: 'disable_eager_execution' }, { line: 4, column: 1 }]
    }
  ]
});
