import { getAnalyzer } from './helpers';

/** Idiomatic Keras 3 touching every guide section's subject: nothing may be reported. */
const CLEAN_KERAS_3 = [
  'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\nfrom keras import layers, ops\nimport numpy as np\nimport tensorflow as tf\n',
  '# markdown-like comment: tf.keras.layers.Dense, from tensorflow import keras\n%matplotlib inline\n!pip install -q keras\n',
  'ds = tf.data.Dataset.from_tensor_slices((np.zeros((8, 4)), np.zeros(8))).map(lambda x, y: (tf.cast(x, tf.float32), y)).batch(2)\n',
  'class Noise(layers.Layer):\n    def __init__(self, **kwargs):\n        super().__init__(**kwargs)\n        self.seed = keras.random.SeedGenerator(42)\n        self.dense = layers.Dense(4)\n\n    def build(self, input_shape):\n        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")\n        self.dense.build(input_shape)\n\n    def call(self, x, training=None, mask=None):\n        if training:\n            x = x + keras.random.normal(ops.shape(x), seed=self.seed)\n        if mask is not None:\n            x = x * mask\n        if x.shape[-1] > 3:\n            x = self.dense(x)\n        return ops.where(ops.sum(x) > 0, x * self.scale, -x)\n',
  'class Trainer(keras.Model):\n    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):\n        return ops.mean(ops.square(y - y_pred))\n',
  'inputs = keras.Input(shape=(4,))\nx = Noise()(inputs)\nx = layers.Dense(8, activation="relu")(x)\nx = ops.concatenate([x, ops.sum(x, axis=1, keepdims=True)], axis=-1)\nmodel = keras.Model({"a": inputs}, x)\nmodel.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse")\n',
  'model.fit(ds, epochs=1)\nresults = model.evaluate(ds, return_dict=True)\nmodel.save("model.keras")\nmodel.save_weights("model.weights.h5")\nmodel.export("serving")\nreloaded = keras.models.load_model("model.keras")\nserving = keras.layers.TFSMLayer("serving", call_endpoint="serving_default")\ncb = keras.callbacks.ModelCheckpoint("best.keras")\nact = layers.LeakyReLU(negative_slope=0.1)\nrelu = layers.ReLU(threshold=0.5)\n',
  // Metrics, weights and callbacks spelled the Keras 3 way (the api-changes rules' subjects). A metric's
  // result() returns a tensor: returning the variable itself fails in fit() on JAX (KM180, checked by running).
  'class F1(keras.metrics.Metric):\n    def __init__(self, name="f1", **kwargs):\n        super().__init__(name=name, **kwargs)\n        self.tp = self.add_variable(shape=(), initializer="zeros", name="tp")\n        self.fp = self.add_weight(name="fp", initializer="zeros")\n\n    def update_state(self, y_true, y_pred, sample_weight=None):\n        self.tp.assign_add(ops.sum(ops.cast(y_true, "float32") * ops.cast(y_pred > 0.5, "float32")))\n\n    def result(self):\n        return ops.convert_to_tensor(self.tp)\n\n    def reset_state(self):\n        self.tp.assign(0.0)\n',
  'loss_tracker = keras.metrics.Mean(name="loss")\nloss_tracker.reset_state()\nmodel.reset_metrics()\nmodel.load_weights("model.weights.h5")\nprobs = model.predict(np.ones((2, 4)))\nlabels = np.argmax(probs, axis=-1)\ncallbacks = [keras.callbacks.ReduceLROnPlateau(min_delta=1e-4), keras.callbacks.TensorBoard(log_dir="logs", histogram_freq=1), keras.callbacks.ModelCheckpoint("w.weights.h5", save_weights_only=True, save_freq="epoch")]\nemb = layers.Embedding(100, 8, weights=[np.zeros((100, 8))], trainable=False)\nx_in = keras.Input(batch_shape=(4, 4))\nsched = keras.optimizers.schedules.CosineDecay(1e-3, 1000)\nopt = keras.optimizers.AdamW(learning_rate=sched)\nkeras.backend.clear_session()\n',
  // Star imports of Keras 3 modules bind real Keras names: nothing to report either.
  'from keras.layers import *\nfrom keras.callbacks import *\nblock = keras.Sequential([Input((4,)), Dense(8), LeakyReLU(negative_slope=0.2), Lambda(lambda t: ops.abs(t))])\nsaver = ModelCheckpoint("best.keras", save_best_only=True)\nfor layer in block.layers:\n    print(layer.name, layer.output.shape)\n'
];

test('clean Keras 3 code gets zero findings on every version and target', async () => {
  const analyzer = await getAnalyzer();
  const nb = analyzer.openNotebook();
  nb.update([null, ...CLEAN_KERAS_3]);
  for (const kerasVersion of ['3.0', '3.3', '3.4', undefined]) {
    expect(nb.findings({ kerasVersion, target: 'tensorflow' })).toEqual([]);
    // One exception, proven by running Keras 3.15 on PyTorch 2.13: `model.export()` (the guide's own
    // SavedModel writer) fails on PyTorch, so a multi-backend target hears about that one line.
    expect(nb.findings({ kerasVersion, target: 'multi-backend' }).map(f => [f.rule, f.cell, f.line, f.blocks])).toEqual([['KM211', 7, 5, ['torch']]]);
  }
  nb.dispose();
});
