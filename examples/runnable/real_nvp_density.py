"""Density estimation with a Real NVP normalizing flow on a synthetic two-moons cloud (after the
keras.io "Density estimation using Real NVP" example of the tf.keras era): affine coupling
networks built as functional models of L2-regularized Dense layers, a RealNVP model subclass with
alternating masks whose call(x, training) returns the transformed points and the log-determinant
of the Jacobian, a tensorflow_probability MultivariateNormalDiag as the latent distribution, a
negative log-likelihood helper used by a GradientTape train_step and a test_step, then sampling
the latent distribution and mapping the samples back to data space with predict()."""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import regularizers


def two_moons(n, noise=0.05, seed=0):
    """Two interleaving half circles, as sklearn's make_moons draws them."""
    rng = np.random.RandomState(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    outer = np.stack([np.cos(np.linspace(0, np.pi, n_outer)), np.sin(np.linspace(0, np.pi, n_outer))], 1)
    inner = np.stack(
        [1 - np.cos(np.linspace(0, np.pi, n_inner)), 0.5 - np.sin(np.linspace(0, np.pi, n_inner))], 1
    )
    points = np.concatenate([outer, inner]) + rng.normal(scale=noise, size=(n, 2))
    return points[rng.permutation(n)].astype("float32")


data = two_moons(1280)
norm = layers.Normalization()
norm.adapt(data)
normalized_data = norm(data)

hidden_units = 64
l2_factor = 0.01


def coupling_network(input_dim):
    """Scale and translation networks of one affine coupling step."""
    inputs = keras.layers.Input(shape=input_dim)

    t = inputs
    for _ in range(3):
        t = keras.layers.Dense(hidden_units, activation="relu", kernel_regularizer=regularizers.l2(l2_factor))(t)
    t = keras.layers.Dense(input_dim, activation="linear", kernel_regularizer=regularizers.l2(l2_factor))(t)

    s = inputs
    for _ in range(3):
        s = keras.layers.Dense(hidden_units, activation="relu", kernel_regularizer=regularizers.l2(l2_factor))(s)
    s = keras.layers.Dense(input_dim, activation="tanh", kernel_regularizer=regularizers.l2(l2_factor))(s)

    return keras.Model(inputs=inputs, outputs=[s, t])


class RealNVP(keras.Model):
    def __init__(self, num_coupling_layers):
        super(RealNVP, self).__init__()
        self.num_coupling_layers = num_coupling_layers
        # The latent space: a standard normal in two dimensions.
        self.distribution = tfp.distributions.MultivariateNormalDiag(loc=[0.0, 0.0], scale_diag=[1.0, 1.0])
        self.masks = np.array([[1, 0], [0, 1]] * (num_coupling_layers // 2), dtype="float32")
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.coupling_layers = [coupling_network(2) for _ in range(num_coupling_layers)]

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, x, training=True):
        # training=True maps data to the latent space (the inverse flow), otherwise latent to data.
        log_det_inv = 0
        direction = -1 if training else 1
        for i in range(self.num_coupling_layers)[::direction]:
            x_masked = x * self.masks[i]
            reversed_mask = 1 - self.masks[i]
            s, t = self.coupling_layers[i](x_masked)
            s = s * reversed_mask
            t = t * reversed_mask
            gate = (direction - 1) / 2
            x = reversed_mask * (x * tf.exp(direction * s) + direction * t * tf.exp(gate * s)) + x_masked
            log_det_inv += gate * tf.reduce_sum(s, axis=1)
        return x, log_det_inv

    def log_loss(self, x):
        y, logdet = self(x)
        log_likelihood = self.distribution.log_prob(y) + logdet
        return -tf.reduce_mean(log_likelihood)

    def train_step(self, data):
        with tf.GradientTape() as tape:
            loss = self.log_loss(data)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, data):
        loss = self.log_loss(data)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


model = RealNVP(num_coupling_layers=2)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3))
history = model.fit(normalized_data, batch_size=128, epochs=6, verbose=0, validation_split=0.2)
print("loss", [round(v, 3) for v in history.history["loss"]])
print("val_loss", [round(v, 3) for v in history.history["val_loss"]])
assert np.isfinite(history.history["loss"][-1])
assert history.history["loss"][-1] < history.history["loss"][0]

eval_loss = model.evaluate(normalized_data, batch_size=256, verbose=0)
print("evaluate", round(float(eval_loss), 3))

# From data to the latent space, and back: the flow is invertible.
z, log_det = model(normalized_data)
x_back, _ = model(z, training=False)
np.testing.assert_allclose(np.asarray(x_back), np.asarray(normalized_data), atol=1e-4)
print("latent mean", np.round(np.mean(np.asarray(z), axis=0), 2), "log det", np.asarray(log_det).shape)

# From the latent space to data: sample the normal distribution and run the flow forward.
samples = model.distribution.sample(512)
generated, _ = model.predict(samples, verbose=0)
print("generated", generated.shape, "finite", bool(np.all(np.isfinite(generated))))
density = model.distribution.log_prob(z) + log_det
print("mean log-density of the data", round(float(np.mean(np.asarray(density))), 3))
