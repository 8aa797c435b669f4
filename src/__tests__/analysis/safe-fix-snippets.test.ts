/**
 * Runnable Keras 2 programs and their safe-fixed Keras 3 versions, written to
 * safe-fix-snippets.json for the Python test suite, which runs each `output` under every
 * backend listed. This test keeps the JSON equal to what the fixer produces today
 * (regenerate with KERAS_MIGRATE_UPDATE_SNIPPETS=1). Snippets write files into the current
 * directory: run them in a temporary one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { getAnalyzer } from './helpers';

const ALL = ['tensorflow', 'jax', 'torch'];

const SNIPPETS: Array<{ id: string; backends: string[]; input: string; note?: string }> = [
  {
    id: 'imports',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\nmodel = tf.keras.Sequential([tf.keras.Input((2,)), layers.Dense(1)])\nprint(model(np.zeros((1, 2), "float32")).shape)\n'
  },
  {
    id: 'savedmodel-save',
    backends: ['tensorflow', 'jax'],
    note: 'model.export() writes a TF SavedModel: it needs TensorFlow installed and is not available on the torch backend of every Keras 3 release.',
    input:
      'from tensorflow import keras\n\nmodel = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])\nmodel.save("exported_model")\n'
  },
  {
    id: 'savedmodel-load',
    backends: ['tensorflow'],
    note: 'TFSMLayer runs TensorFlow code: TensorFlow backend only.',
    input:
      'import numpy as np\nimport tensorflow as tf\n\nmodel = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])\nmodel.export("sm")\nrestored = tf.keras.models.load_model("sm")\nprint(restored(np.zeros((1, 2), "float32")))\n'
  },
  {
    id: 'tf-variable-tracking',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\nclass Scale(keras.layers.Layer):\n    def build(self, input_shape):\n        self.w = tf.Variable(np.ones(input_shape[-1:], "float32"))\n\n    def call(self, x):\n        return x * self.w\n\nlayer = Scale()\nlayer(np.ones((1, 3), "float32"))\nassert len(layer.trainable_weights) == 1\n'
  },
  {
    id: 'removed-features',
    backends: ALL,
    input: 'import numpy as np\nimport keras\n\nact = keras.layers.ThresholdedReLU(theta=0.5)\nprint(act(np.array([[0.2, 0.7]], "float32")))\n'
  },
  {
    id: 'keras-ops',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\nclass Normalize(keras.layers.Layer):\n    def call(self, x):\n        total = tf.reduce_sum(x, axis=1, keepdims=True)\n        return tf.concat([x / total, total], -1)\n\ndef loss_fn(y_true, y_pred):\n    return tf.abs(y_true - y_pred)\n\nprint(Normalize()(np.ones((2, 3), "float32")))\nprint(loss_fn(np.ones(2, "float32"), np.zeros(2, "float32")))\nlayer = keras.layers.Dense(2, activation=tf.nn.relu)\nprint(layer(np.ones((1, 2), "float32")))\n'
  },
  {
    id: 'keras-backend',
    backends: ALL,
    input:
      'import numpy as np\nfrom keras import backend as K\n\ndef rmse(y_true, y_pred):\n    return K.sqrt(K.mean(K.square(y_pred - y_true)))\n\nprint(rmse(np.ones(3, "float32"), np.zeros(3, "float32")))\n'
  },
  {
    id: 'kerastensor-tf-op',
    backends: ALL,
    input:
      'import numpy as np\nimport tensorflow as tf\nimport keras\n\ninputs = keras.Input((4,))\nx = keras.layers.Dense(3)(inputs)\ny = tf.nn.relu(x)\nmodel = keras.Model(inputs, y)\nprint(model(np.ones((1, 4), "float32")).shape)\n'
  },
  {
    id: 'api-changes',
    backends: ALL,
    input:
      'import numpy as np\nimport keras\nfrom keras.layers.experimental.preprocessing import Rescaling\n\ndef batches():\n    while True:\n        yield np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")\n\nmodel = keras.Sequential([keras.Input((2,)), Rescaling(0.5), keras.layers.Dense(1), keras.layers.LeakyReLU(alpha=0.1)])\nmodel.compile(optimizer=keras.optimizers.SGD(lr=0.01), loss="mse")\nmodel.fit_generator(batches(), steps_per_epoch=2, epochs=1, verbose=0)\n'
  }
];

test('safe-fix snippets: the committed JSON matches the fixer', async () => {
  const analyzer = await getAnalyzer();
  const generated = SNIPPETS.map(s => {
    const result = analyzer.fixFile(s.input);
    return {
      id: s.id,
      rules: [...new Set(result.applied.map(f => f.rule))].sort(),
      backends: s.backends,
      ...(s.note ? { note: s.note } : {}),
      input: s.input,
      output: result.source
    };
  });
  for (const g of generated) {
    expect({ id: g.id, changed: g.output !== g.input }).toEqual({ id: g.id, changed: true });
    // Nothing safe is left to fix in the output.
    expect(analyzer.analyzeFile(g.output).filter(f => f.fix?.safe)).toEqual([]);
  }
  const file = path.join(__dirname, 'safe-fix-snippets.json');
  const text = JSON.stringify(generated, null, 2) + '\n';
  if (process.env.KERAS_MIGRATE_UPDATE_SNIPPETS) {
    fs.writeFileSync(file, text);
  }
  expect(fs.readFileSync(file, 'utf8')).toBe(text);
});
