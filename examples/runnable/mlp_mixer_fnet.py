"""All-MLP image classifiers on tiny synthetic images (in the style of the tf.keras-era keras.io
"Image classification with modern MLP models" example): a Patches layer with
tf.image.extract_patches and a dynamic tf.reshape, an MLP-Mixer block that mixes tokens through
tf.linalg.matrix_transpose, an FNet block that mixes with tf.signal.fft2d on a tf.complex64 cast
and keeps tf.math.real, a gMLP spatial gating unit with tf.split, a module-level classifier
builder shared by the three models, and AdamW from tf.keras.optimizers.experimental."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

np.random.seed(1)
tf.random.set_seed(1)

num_classes = 4
input_shape = (16, 16, 3)
image_size = 16
patch_size = 4
num_patches = (image_size // patch_size) ** 2
embedding_dim = 16
dropout_rate = 0.1
num_blocks = 2


class Patches(layers.Layer):
    def __init__(self, patch_size, num_patches):
        super(Patches, self).__init__()
        self.patch_size = patch_size
        self.num_patches = num_patches

    def call(self, images):
        batch_size = tf.shape(images)[0]
        patches = tf.image.extract_patches(
            images=images,
            sizes=[1, self.patch_size, self.patch_size, 1],
            strides=[1, self.patch_size, self.patch_size, 1],
            rates=[1, 1, 1, 1],
            padding="VALID",
        )
        patch_dims = patches.shape[-1]
        patches = tf.reshape(patches, [batch_size, self.num_patches, patch_dims])
        return patches


class MLPMixerLayer(layers.Layer):
    def __init__(self, num_patches, hidden_units, dropout_rate, *args, **kwargs):
        super(MLPMixerLayer, self).__init__(*args, **kwargs)

        self.mlp1 = keras.Sequential([
            layers.Dense(units=num_patches),
            tf.keras.layers.Activation(tf.nn.gelu),
            layers.Dense(units=num_patches),
            layers.Dropout(rate=dropout_rate),
        ])
        self.mlp2 = keras.Sequential([
            layers.Dense(units=num_patches),
            tf.keras.layers.Activation(tf.nn.gelu),
            layers.Dense(units=hidden_units),
            layers.Dropout(rate=dropout_rate),
        ])
        self.normalize = layers.LayerNormalization(epsilon=1e-6)

    def call(self, inputs):
        x = self.normalize(inputs)
        # Transpose inputs from [num_batches, num_patches, hidden_units] to [num_batches, hidden_units, num_patches].
        x_channels = tf.linalg.matrix_transpose(x)
        mlp1_outputs = self.mlp1(x_channels)
        mlp1_outputs = tf.linalg.matrix_transpose(mlp1_outputs)
        x = mlp1_outputs + inputs
        x_patches = self.normalize(x)
        mlp2_outputs = self.mlp2(x_patches)
        x = x + mlp2_outputs
        return x


class FNetLayer(layers.Layer):
    def __init__(self, num_patches, embedding_dim, dropout_rate, *args, **kwargs):
        super(FNetLayer, self).__init__(*args, **kwargs)

        self.ffn = keras.Sequential([
            layers.Dense(units=embedding_dim),
            tf.keras.layers.Activation(tf.nn.gelu),
            layers.Dropout(rate=dropout_rate),
            layers.Dense(units=embedding_dim),
        ])
        self.normalize1 = layers.LayerNormalization(epsilon=1e-6)
        self.normalize2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, inputs):
        # Apply fourier transformations.
        x = tf.cast(
            tf.signal.fft2d(tf.cast(inputs, dtype=tf.dtypes.complex64)),
            dtype=tf.dtypes.float32,
        )
        x = x + inputs
        x = self.normalize1(x)
        x_ffn = self.ffn(x)
        x = x + x_ffn
        return self.normalize2(x)


class FNetRealLayer(layers.Layer):
    """Same mixing, keeping the real part explicitly (the FNet paper's formulation)."""

    def call(self, inputs):
        return tf.math.real(tf.signal.fft2d(tf.complex(inputs, tf.zeros_like(inputs)))) + inputs


class gMLPLayer(layers.Layer):
    def __init__(self, num_patches, embedding_dim, dropout_rate, *args, **kwargs):
        super(gMLPLayer, self).__init__(*args, **kwargs)

        self.channel_projection1 = keras.Sequential([
            layers.Dense(units=embedding_dim * 2),
            tf.keras.layers.Activation(tf.nn.gelu),
            layers.Dropout(rate=dropout_rate),
        ])
        self.channel_projection2 = layers.Dense(units=embedding_dim)
        self.spatial_projection = layers.Dense(units=num_patches, bias_initializer="Ones")
        self.normalize1 = layers.LayerNormalization(epsilon=1e-6)
        self.normalize2 = layers.LayerNormalization(epsilon=1e-6)

    def spatial_gating_unit(self, x):
        u, v = tf.split(x, num_or_size_splits=2, axis=2)
        v = self.normalize2(v)
        v_channels = tf.linalg.matrix_transpose(v)
        v_projected = self.spatial_projection(v_channels)
        v_projected = tf.linalg.matrix_transpose(v_projected)
        return u * v_projected

    def call(self, inputs):
        x = self.normalize1(inputs)
        x_projected = self.channel_projection1(x)
        x_spatial = self.spatial_gating_unit(x_projected)
        x_projected = self.channel_projection2(x_spatial)
        return x + x_projected


def build_classifier(blocks, positional_encoding=False):
    inputs = layers.Input(shape=input_shape)
    patches = Patches(patch_size, num_patches)(inputs)
    x = layers.Dense(units=embedding_dim)(patches)
    if positional_encoding:
        positions = tf.range(start=0, limit=num_patches, delta=1)
        position_embedding = layers.Embedding(input_dim=num_patches, output_dim=embedding_dim)(positions)
        x = x + position_embedding
    x = blocks(x)
    representation = layers.GlobalAveragePooling1D()(x)
    representation = layers.Dropout(rate=dropout_rate)(representation)
    logits = layers.Dense(num_classes)(representation)
    return keras.Model(inputs=inputs, outputs=logits)


def run_experiment(model):
    optimizer = tf.keras.optimizers.experimental.AdamW(learning_rate=0.005, weight_decay=0.0001)
    model.compile(
        optimizer=optimizer,
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc"),
                 keras.metrics.SparseTopKCategoricalAccuracy(2, name="top2-acc")],
    )
    x = np.random.rand(32, *input_shape).astype("float32")
    y = np.random.randint(0, num_classes, size=(32, 1))
    history = model.fit(x, y, batch_size=8, epochs=2, validation_split=0.25, verbose=0)
    _, accuracy, top_2 = model.evaluate(x, y, verbose=0)
    print(model.name, "accuracy", round(accuracy, 3), "top-2", round(top_2, 3))
    return history


mlpmixer_blocks = keras.Sequential(
    [MLPMixerLayer(num_patches, embedding_dim, dropout_rate) for _ in range(num_blocks)])
run_experiment(build_classifier(mlpmixer_blocks))

fnet_blocks = keras.Sequential(
    [FNetLayer(num_patches, embedding_dim, dropout_rate) for _ in range(num_blocks)] + [FNetRealLayer()])
run_experiment(build_classifier(fnet_blocks, positional_encoding=True))

gmlp_blocks = keras.Sequential([gMLPLayer(num_patches, embedding_dim, dropout_rate) for _ in range(num_blocks)])
history = run_experiment(build_classifier(gmlp_blocks))
assert len(history.history["loss"]) == 2
