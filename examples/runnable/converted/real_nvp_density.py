"""Density estimation with a Real NVP normalizing flow on a synthetic two-moons cloud (after the
keras.io "Density estimation using Real NVP" example of the tf.keras era).

Hand conversion to multi-backend Keras 3: tensorflow_probability goes (its distributions are
TensorFlow ops, which JAX cannot trace and PyTorch's grad tensors cannot enter): a small diagonal
normal written with keras.ops gives log_prob() and sample() (keras.random.normal); keras.ops for
the tensor ops, the NumPy masks made tensors (PyTorch cannot multiply a NumPy array by a tensor);
Input(shape=(input_dim,)); the GradientTape train_step and the test_step become a compute_loss()
override (plus compute_metrics() for the tracker), so Keras's own steps train and evaluate on
TensorFlow, JAX and PyTorch. call(x, training) keeps its meaning (training=True maps
data to the latent space), so compute_loss() runs the inverse flow itself when evaluate() calls it
with training=False; like the original step, the loss leaves the L2 penalties out."""
import math

import numpy as np
import keras
from keras import layers, ops
from keras import regularizers


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
    inputs = keras.layers.Input(shape=(input_dim,))

    t = inputs
    for _ in range(3):
        t = keras.layers.Dense(hidden_units, activation="relu", kernel_regularizer=regularizers.l2(l2_factor))(t)
    t = keras.layers.Dense(input_dim, activation="linear", kernel_regularizer=regularizers.l2(l2_factor))(t)

    s = inputs
    for _ in range(3):
        s = keras.layers.Dense(hidden_units, activation="relu", kernel_regularizer=regularizers.l2(l2_factor))(s)
    s = keras.layers.Dense(input_dim, activation="tanh", kernel_regularizer=regularizers.l2(l2_factor))(s)

    return keras.Model(inputs=inputs, outputs=[s, t])


class DiagonalNormal:
    """The latent distribution: a normal with a diagonal covariance, in keras.ops."""

    def __init__(self, loc, scale_diag):
        self.loc = np.asarray(loc, dtype="float32")
        self.scale_diag = np.asarray(scale_diag, dtype="float32")

    def log_prob(self, value):
        # ops.convert_to_tensor: PyTorch cannot take a NumPy array on the left of a tensor.
        loc = ops.convert_to_tensor(self.loc)
        standardized = (value - loc) / ops.convert_to_tensor(self.scale_diag)
        dims = self.loc.shape[-1]
        return (
            -0.5 * ops.sum(ops.square(standardized), axis=-1)
            - float(np.sum(np.log(self.scale_diag)))
            - 0.5 * dims * math.log(2 * math.pi)
        )

    def sample(self, n, seed=None):
        noise = keras.random.normal((n, self.loc.shape[-1]), seed=seed)
        return ops.convert_to_tensor(self.loc) + ops.convert_to_tensor(self.scale_diag) * noise


class RealNVP(keras.Model):
    def __init__(self, num_coupling_layers):
        super().__init__()
        self.num_coupling_layers = num_coupling_layers
        # The latent space: a standard normal in two dimensions.
        self.distribution = DiagonalNormal(loc=[0.0, 0.0], scale_diag=[1.0, 1.0])
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
            # A NumPy mask on the left of a PyTorch tensor fails: make it a backend tensor.
            mask = ops.convert_to_tensor(self.masks[i])
            x_masked = x * mask
            reversed_mask = 1 - mask
            s, t = self.coupling_layers[i](x_masked)
            s = s * reversed_mask
            t = t * reversed_mask
            gate = (direction - 1) / 2
            x = reversed_mask * (x * ops.exp(direction * s) + direction * t * ops.exp(gate * s)) + x_masked
            log_det_inv += gate * ops.sum(s, axis=1)
        return x, log_det_inv

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        # Negative log-likelihood of the data: the latent log-density plus the log-determinant.
        if not training:
            # evaluate() ran the flow with training=False (latent to data): run the inverse here.
            y_pred = self(x, training=True)
        latent, logdet = y_pred
        loss = -ops.mean(self.distribution.log_prob(latent) + logdet)
        self.loss_tracker.update_state(loss)
        return loss

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
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
np.testing.assert_allclose(ops.convert_to_numpy(x_back), ops.convert_to_numpy(normalized_data), atol=1e-4)
print("latent mean", np.round(np.mean(ops.convert_to_numpy(z), axis=0), 2), "log det", ops.convert_to_numpy(log_det).shape)

# From the latent space to data: sample the normal distribution and run the flow forward.
samples = model.distribution.sample(512, seed=7)
generated, _ = model.predict(samples, verbose=0)
print("generated", generated.shape, "finite", bool(np.all(np.isfinite(generated))))
density = model.distribution.log_prob(z) + log_det
print("mean log-density of the data", round(float(np.mean(ops.convert_to_numpy(density))), 3))
