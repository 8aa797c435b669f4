"""A module-level @tf.function GradientTape step over a functional model with BatchNormalization
and an activity-regularized layer (an add_loss term in model.losses), a tf.function step
returning the loss, trained on synthetic data (the keras.io "training loop from scratch" shape)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(8,))
x = layers.Dense(16, activity_regularizer=keras.regularizers.l2(1e-3))(inputs)
x = layers.BatchNormalization()(x)
x = layers.Activation("relu")(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)

optimizer = keras.optimizers.Adam(learning_rate=1e-2)
loss_fn = keras.losses.MeanSquaredError()

rng = np.random.RandomState(0)
x_train = rng.rand(64, 8).astype("float32")
y_train = (x_train.sum(axis=1, keepdims=True) > 4).astype("float32")


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        pred = model(x, training=True)
        loss = loss_fn(y, pred)
        loss += tf.add_n(model.losses)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


moving_mean = model.layers[2].moving_mean
before = np.array(moving_mean)
for epoch in range(2):
    for i in range(0, 64, 16):
        loss = train_step(x_train[i : i + 16], y_train[i : i + 16])
    print("epoch %d loss %.4f" % (epoch, float(loss)))
# BatchNormalization's moving statistics were updated by the steps.
assert not np.allclose(before, np.array(moving_mean)), "moving mean not updated"
# The activity regularizer adds one term per call (the add_loss term the step trained with).
model(x_train[:4])
assert len(model.losses) == 1
