"""Hand conversion: the tape step computed per backend. JAX differentiates a pure loss function of
the trainable values under keras.StatelessScope (collect_losses=True gathers the add_loss term,
BatchNormalization's moving statistics come back as updates assigned after the step); PyTorch
takes torch.autograd.grad of the eager loss; TensorFlow keeps the tape (run eagerly)."""
import numpy as np
import keras
from keras import layers

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


def train_step(x, y):
    if keras.backend.backend() == "jax":
        import jax

        def loss_of(values):
            mapping = list(zip(model.trainable_variables, values))
            with keras.StatelessScope(state_mapping=mapping, collect_losses=True) as scope:
                pred = model(x, training=True)
                loss = loss_fn(y, pred) + sum(model.losses)
            updates = [scope.get_current_value(v) for v in model.non_trainable_variables]
            return loss, updates

        (loss, updates), grads = jax.value_and_grad(loss_of, has_aux=True)([v.value for v in model.trainable_variables])
        for v, value in zip(model.non_trainable_variables, updates):
            if value is not None:
                v.assign(value)
    elif keras.backend.backend() == "torch":
        import torch

        pred = model(x, training=True)
        loss = loss_fn(y, pred) + sum(model.losses)
        grads = torch.autograd.grad(loss, [v.value for v in model.trainable_variables])
        loss = loss.detach()
    else:
        import tensorflow as tf

        with tf.GradientTape() as tape:
            pred = model(x, training=True)
            loss = loss_fn(y, pred) + sum(model.losses)
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
