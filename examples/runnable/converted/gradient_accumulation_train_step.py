"""Hand conversion of the gradient-accumulation CustomTrainStep recipe to multi-backend Keras 3.

Keras 3 optimizers accumulate gradients themselves: `gradient_accumulation_steps=4` updates the
variables every 4th step with the accumulated gradients (their mean; the recipe applied their sum,
which Adam's update is invariant to up to epsilon), on TensorFlow, JAX and PyTorch. So the tape
train_step, its tf.Variable counter and accumulators and the tf.cond go, and the model is a plain
functional keras.Model; fit() with per-sample weights is Keras's own step. Weights files end in
.weights.h5 in Keras 3."""
import os
import tempfile

import numpy as np
import keras

np.random.seed(2)
keras.utils.set_random_seed(2)

num_classes = 10
x_train = np.random.rand(1200, 28, 28).astype("float32")
y_train = np.random.randint(0, num_classes, 1200)
x_train[np.arange(1200), y_train * 2, :] += 2.0  # learnable signal: a bright row per class
x_test = x_train[:200]
y_test = y_train[:200]
sample_weight = np.where(y_train < 5, 1.0, 0.5).astype("float32")

n_gradients = 4


def build_model():
    input = keras.Input(shape=(28, 28))
    base_maps = keras.layers.Flatten()(input)
    base_maps = keras.layers.Dense(128, activation='relu')(base_maps)
    base_maps = keras.layers.Dense(num_classes, activation='softmax', name='primary')(base_maps)
    return keras.Model(inputs=[input], outputs=[base_maps])


custom_model = build_model()

# bind all
custom_model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=['accuracy'],
    optimizer=keras.optimizers.Adam(learning_rate=1e-3, gradient_accumulation_steps=n_gradients))

# fit
history = custom_model.fit(x_train, y_train, sample_weight=sample_weight, batch_size=32,
                           epochs=3, verbose=2)
print({k: [round(float(v), 4) for v in vals] for k, vals in history.history.items()})

test_loss, test_acc = custom_model.evaluate(x_test, y_test, verbose=0)
print("test loss %.4f accuracy %.4f" % (test_loss, test_acc))

weights_path = os.path.join(tempfile.mkdtemp(), "accumulated.weights.h5")
custom_model.save_weights(weights_path)
restored = build_model()
restored.compile(loss=keras.losses.SparseCategoricalCrossentropy(), metrics=['accuracy'],
                 optimizer=keras.optimizers.Adam(learning_rate=1e-3,
                                                 gradient_accumulation_steps=n_gradients))
restored.load_weights(weights_path)
np.testing.assert_allclose(restored.predict(x_test[:8], verbose=0),
                           custom_model.predict(x_test[:8], verbose=0), rtol=1e-5, atol=1e-6)
print("restored predictions match")
