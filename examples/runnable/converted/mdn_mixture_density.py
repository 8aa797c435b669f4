"""Mixture Density Network on a noisy inverted sine (after the keras.io "Mixture Density Networks"
example of the tf.keras era), written without tensorflow_probability: a custom MDN output layer
concatenating mus, sigmas and mixture logits, a mixture negative log-likelihood loss built with
tf.split / tf.math.log / tf.reduce_logsumexp, and sampling from the predicted mixture with numpy.

Hand conversion to multi-backend Keras 3: keras.ops in place of tf (ops.split takes split indices, not
sizes; ops.logsumexp, ops.log_softmax, ops.elu), the layer's trainable_weights / non_trainable_weights
overrides are dropped (Keras 3 tracks the sub-layers itself and the properties would hide its own
bookkeeping), ops.concatenate in call(), keras.Input in place of input_shape=, Adam(learning_rate=), no
tf.name_scope around the loss factory."""
import numpy as np
import keras
from keras import layers, ops

N_HIDDEN = 32
N_MIXES = 5
OUTPUT_DIMS = 1

# Synthetic data: x as a function of y (one-to-many), as in the example.
y_data = np.random.uniform(-10.5, 10.5, size=(512, 1)).astype("float32")
x_data = (np.sin(0.75 * y_data) * 7.0 + y_data * 0.5 + np.random.normal(size=(512, 1)) * 1.0).astype("float32")


def elu_plus_one_plus_epsilon(x):
    """ELU activation with a very small addition to help prevent NaN in loss."""
    return ops.elu(x) + 1 + keras.backend.epsilon()


class MixtureDensityOutput(layers.Layer):
    def __init__(self, output_dimension, num_mixtures, **kwargs):
        super().__init__(**kwargs)
        self.output_dim = output_dimension
        self.num_mix = num_mixtures
        self.mdn_mus = layers.Dense(num_mixtures * output_dimension, name="mdn_mus")
        self.mdn_sigmas = layers.Dense(
            num_mixtures * output_dimension, activation=elu_plus_one_plus_epsilon, name="mdn_sigmas"
        )
        self.mdn_pi = layers.Dense(num_mixtures, name="mdn_pi")

    def build(self, input_shape):
        self.mdn_mus.build(input_shape)
        self.mdn_sigmas.build(input_shape)
        self.mdn_pi.build(input_shape)
        super().build(input_shape)

    def call(self, x, mask=None):
        return ops.concatenate([self.mdn_mus(x), self.mdn_sigmas(x), self.mdn_pi(x)], axis=-1)

    def get_config(self):
        config = super().get_config()
        config.update({"output_dimension": self.output_dim, "num_mixtures": self.num_mix})
        return config


def get_mixture_loss_func(output_dim, num_mixes):
    """Negative log-likelihood of y_true under the predicted diagonal Gaussian mixture."""

    def mdn_loss_func(y_true, y_pred):
        y_pred = ops.reshape(y_pred, [-1, (2 * num_mixes * output_dim) + num_mixes])
        y_true = ops.reshape(y_true, [-1, output_dim])
        out_mu, out_sigma, out_pi = ops.split(
            y_pred, [num_mixes * output_dim, 2 * num_mixes * output_dim], axis=-1
        )
        mus = ops.reshape(out_mu, [-1, num_mixes, output_dim])
        sigs = ops.reshape(out_sigma, [-1, num_mixes, output_dim])
        log_pis = ops.log_softmax(out_pi, axis=-1)
        y = ops.expand_dims(y_true, 1)
        log_probs = -0.5 * ops.sum(
            ops.square((y - mus) / sigs) + 2.0 * ops.log(sigs) + float(np.log(2.0 * np.pi)), axis=-1
        )
        loss = -ops.logsumexp(log_pis + log_probs, axis=-1)
        return ops.mean(loss)

    return mdn_loss_func


mdn_network = keras.Sequential(
    [
        keras.Input(shape=(1,)),
        layers.Dense(N_HIDDEN, activation="relu"),
        layers.Dense(N_HIDDEN, activation="relu"),
        MixtureDensityOutput(OUTPUT_DIMS, N_MIXES),
    ]
)
mdn_network.compile(loss=get_mixture_loss_func(OUTPUT_DIMS, N_MIXES), optimizer=keras.optimizers.Adam(learning_rate=0.01))
history = mdn_network.fit(
    x_data,
    y_data,
    epochs=3,
    batch_size=64,
    verbose=0,
    callbacks=[keras.callbacks.EarlyStopping(monitor="loss", patience=5)],
)
print("loss", history.history["loss"][-1])
assert np.isfinite(history.history["loss"][-1])


def split_mixture_params(params, output_dim, num_mixes):
    mus = params[: num_mixes * output_dim]
    sigs = params[num_mixes * output_dim : 2 * num_mixes * output_dim]
    pi_logits = params[-num_mixes:]
    return mus, sigs, pi_logits


def softmax(w, t=1.0):
    e = np.array(w) / t
    e -= e.max()
    e = np.exp(e)
    return e / e.sum()


def sample_from_categorical(dist):
    r = np.random.rand(1)
    accumulate = 0
    for i in range(0, dist.size):
        accumulate += dist[i]
        if accumulate >= r:
            return i
    return -1


def sample_from_output(params, output_dim, num_mixes, temp=1.0, sigma_temp=1.0):
    mus, sigs, pi_logits = split_mixture_params(params, output_dim, num_mixes)
    pis = softmax(pi_logits, t=temp)
    m = sample_from_categorical(pis)
    mus_vector = mus[m * output_dim : (m + 1) * output_dim]
    sig_vector = sigs[m * output_dim : (m + 1) * output_dim]
    scale_matrix = np.identity(output_dim) * sig_vector
    cov_matrix = np.matmul(scale_matrix, scale_matrix.T)
    cov_matrix = cov_matrix * sigma_temp
    sample = np.random.multivariate_normal(mus_vector, cov_matrix, 1)
    return sample


y_pred_mixture = mdn_network.predict(x_data[:64], verbose=0)
print("mixture params", y_pred_mixture.shape)
assert y_pred_mixture.shape == (64, 2 * N_MIXES * OUTPUT_DIMS + N_MIXES)
# Sample from the predicted distributions
y_samples = np.apply_along_axis(sample_from_output, 1, y_pred_mixture, 1, N_MIXES, temp=1.0)
print("samples", y_samples.shape)
assert y_samples.shape == (64, 1, 1)
# The loss on its own, eagerly, on a batch
print("nll", float(ops.convert_to_numpy(get_mixture_loss_func(OUTPUT_DIMS, N_MIXES)(y_data[:8], y_pred_mixture[:8]))))
