"""Custom layers that compute with TensorFlow ops in build()/call() (in the style of tf.keras-era
keras.io examples: Deep & Cross Network cross layer, grouped feature mixing, gated residual
networks, a hand-made layer normalisation): tf.einsum, tf.linalg.matmul, tf.nn.moments,
tf.math.rsqrt, tf.split / tf.stack / tf.unstack, tf.where with tf.greater, tf.shape-based
dynamic tf.reshape, tf.nn.sigmoid / tf.nn.elu, tf.clip_by_norm, registered with
get_custom_objects() and round-tripped through get_config / from_config."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class CrossLayer(layers.Layer):
    """x_{l+1} = x_0 * (x_l W + b) + x_l (DCN)."""

    def __init__(self, use_bias=True, **kwargs):
        super(CrossLayer, self).__init__(**kwargs)
        self.use_bias = use_bias

    def build(self, input_shape):
        dim = input_shape[0][-1]
        self.kernel = self.add_weight(name="kernel", shape=(dim, dim), initializer="glorot_uniform",
                                      trainable=True)
        self.bias = self.add_weight(name="bias", shape=(dim,), initializer="zeros", trainable=self.use_bias)
        super(CrossLayer, self).build(input_shape)

    def call(self, inputs):
        x0, xl = inputs
        prod = tf.einsum("bi,ij->bj", xl, self.kernel)
        return x0 * (prod + self.bias) + xl

    def get_config(self):
        config = super(CrossLayer, self).get_config()
        config.update({"use_bias": self.use_bias})
        return config


class GroupedMixing(layers.Layer):
    """Splits the features into groups, mixes each group with its own matrix, and pools the groups."""

    def __init__(self, groups=4, **kwargs):
        super(GroupedMixing, self).__init__(**kwargs)
        self.groups = groups

    def build(self, input_shape):
        group_dim = int(input_shape[-1]) // self.groups
        self.mixers = [
            self.add_weight(name="mixer_%d" % i, shape=(group_dim, group_dim), initializer="orthogonal")
            for i in range(self.groups)
        ]

    def call(self, inputs):
        parts = tf.split(inputs, num_or_size_splits=self.groups, axis=-1)
        mixed = [tf.linalg.matmul(part, w) for part, w in zip(parts, self.mixers)]
        stacked = tf.stack(mixed, axis=1)  # (batch, groups, group_dim)
        pooled = tf.reduce_max(stacked, axis=1)
        first, *rest = tf.unstack(stacked, axis=1)
        return tf.concat([pooled, first], axis=-1)

    def get_config(self):
        config = super(GroupedMixing, self).get_config()
        config["groups"] = self.groups
        return config


class SimpleLayerNorm(layers.Layer):
    def __init__(self, epsilon=1e-5, **kwargs):
        super(SimpleLayerNorm, self).__init__(**kwargs)
        self.epsilon = epsilon

    def build(self, input_shape):
        self.gamma = self.add_weight(name="gamma", shape=input_shape[-1:], initializer="ones")
        self.beta = self.add_weight(name="beta", shape=input_shape[-1:], initializer="zeros")

    def call(self, x):
        mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(variance + self.epsilon) * self.gamma + self.beta

    def get_config(self):
        return {**super(SimpleLayerNorm, self).get_config(), "epsilon": self.epsilon}


class GatedResidual(layers.Layer):
    def __init__(self, units, leak=0.1, **kwargs):
        super(GatedResidual, self).__init__(**kwargs)
        self.units = units
        self.leak = leak
        self.dense = layers.Dense(units)
        self.gate = layers.Dense(units)
        self.norm = SimpleLayerNorm()

    def call(self, inputs):
        h = tf.nn.elu(self.dense(inputs))
        h = tf.where(tf.greater(h, 0.0), h, self.leak * h)
        g = tf.nn.sigmoid(self.gate(inputs))
        return self.norm(inputs + g * h)

    def get_config(self):
        config = super(GatedResidual, self).get_config()
        config.update({"units": self.units, "leak": self.leak})
        return config


class TimeFold(layers.Layer):
    """Folds (batch, steps * k, d) into (batch, steps, k * d) with a dynamic batch size."""

    def __init__(self, k=2, **kwargs):
        super(TimeFold, self).__init__(**kwargs)
        self.k = k

    def call(self, x):
        batch_size = tf.shape(x)[0]
        steps = tf.shape(x)[1] // self.k
        return tf.reshape(x, [batch_size, steps, self.k * x.shape[-1]])

    def get_config(self):
        config = super(TimeFold, self).get_config()
        config.update({"k": self.k})
        return config


keras.utils.get_custom_objects().update({
    "CrossLayer": CrossLayer, "GroupedMixing": GroupedMixing, "SimpleLayerNorm": SimpleLayerNorm,
    "GatedResidual": GatedResidual, "TimeFold": TimeFold,
})


def build_model(dim=16, steps=8):
    tabular = keras.Input(shape=(dim,), name="tabular")
    sequence = keras.Input(shape=(steps, 4), name="sequence")
    x0 = tabular
    x = CrossLayer()([x0, x0])
    x = CrossLayer()([x0, x])
    x = GroupedMixing(groups=4)(x)
    x = GatedResidual(8)(x)
    s = TimeFold(k=2)(sequence)
    s = layers.GlobalAveragePooling1D()(s)
    merged = layers.concatenate([x, s])
    output = layers.Dense(1, activation="sigmoid")(merged)
    return keras.Model([tabular, sequence], output)


class ClippedAdamModel(keras.Model):
    """A functional model whose gradients are clipped by norm in its own train_step."""

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        grads = [tf.clip_by_norm(g, 1.0) for g in grads]
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


n = 64
data = {"tabular": np.random.rand(n, 16).astype("float32"), "sequence": np.random.rand(n, 8, 4).astype("float32")}
labels = np.random.randint(0, 2, size=(n, 1)).astype("float32")

model = build_model()
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(data, labels, epochs=2, batch_size=16, verbose=0)

clipped = ClippedAdamModel(model.inputs, model.outputs)
clipped.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = clipped.fit(data, labels, epochs=1, batch_size=16, verbose=0)
print("clipped", sorted(history.history))

config = model.get_config()
restored = keras.Model.from_config(config)
print("restored model", restored.predict(data, verbose=0).shape, len(restored.layers) == len(model.layers))
layer = GatedResidual.from_config(GatedResidual(8, leak=0.2).get_config())
print("restored", layer.units, layer.leak)
