"""Hand conversion to multi-backend Keras 3 (as the Keras team converted the keras.io example):
keras.ops.image.extract_patches, keras.ops.fft2 on a (real, imaginary) pair, keras.ops.swapaxes.

All-MLP image classifiers on tiny synthetic images (in the style of the tf.keras-era keras.io
"Image classification with modern MLP models" example): a Patches layer with
tf.image.extract_patches and a dynamic tf.reshape, an MLP-Mixer block that mixes tokens through
tf.linalg.matrix_transpose, an FNet block that mixes with tf.signal.fft2d on a tf.complex64 cast
and keeps tf.math.real, a gMLP spatial gating unit with tf.split, a module-level classifier
builder shared by the three models, and AdamW from tf.keras.optimizers.experimental."""
import numpy as np
import keras
from keras import layers, ops

np.random.seed(1)
keras.utils.set_random_seed(1)

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
        batch_size = ops.shape(images)[0]
        patches = ops.image.extract_patches(
            images=images,
            size=(self.patch_size, self.patch_size),
            strides=(self.patch_size, self.patch_size),
            dilation_rate=1,
            padding="valid",
        )
        patch_dims = patches.shape[-1]
        patches = ops.reshape(patches, (batch_size, self.num_patches, patch_dims))
        return patches


class MLPMixerLayer(layers.Layer):
    def __init__(self, num_patches, hidden_units, dropout_rate, *args, **kwargs):
        super(MLPMixerLayer, self).__init__(*args, **kwargs)

        self.mlp1 = keras.Sequential([
            layers.Dense(units=num_patches),
            layers.Activation(keras.activations.gelu),
            layers.Dense(units=num_patches),
            layers.Dropout(rate=dropout_rate),
        ])
        self.mlp2 = keras.Sequential([
            layers.Dense(units=num_patches),
            layers.Activation(keras.activations.gelu),
            layers.Dense(units=hidden_units),
            layers.Dropout(rate=dropout_rate),
        ])
        self.normalize = layers.LayerNormalization(epsilon=1e-6)

    def call(self, inputs):
        x = self.normalize(inputs)
        # Transpose inputs from [num_batches, num_patches, hidden_units] to [num_batches, hidden_units, num_patches].
        x_channels = ops.swapaxes(x, -1, -2)
        mlp1_outputs = self.mlp1(x_channels)
        mlp1_outputs = ops.swapaxes(mlp1_outputs, -1, -2)
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
            layers.Activation(keras.activations.gelu),
            layers.Dropout(rate=dropout_rate),
            layers.Dense(units=embedding_dim),
        ])
        self.normalize1 = layers.LayerNormalization(epsilon=1e-6)
        self.normalize2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, inputs):
        # Apply fourier transformations.
        real_part = inputs
        im_part = ops.zeros_like(inputs)
        x = ops.fft2((real_part, im_part))[0]
        x = x + inputs
        x = self.normalize1(x)
        x_ffn = self.ffn(x)
        x = x + x_ffn
        return self.normalize2(x)


class FNetRealLayer(layers.Layer):
    """Same mixing, keeping the real part explicitly (the FNet paper's formulation)."""

    def call(self, inputs):
        return ops.fft2((inputs, ops.zeros_like(inputs)))[0] + inputs


class gMLPLayer(layers.Layer):
    def __init__(self, num_patches, embedding_dim, dropout_rate, *args, **kwargs):
        super(gMLPLayer, self).__init__(*args, **kwargs)

        self.channel_projection1 = keras.Sequential([
            layers.Dense(units=embedding_dim * 2),
            layers.Activation(keras.activations.gelu),
            layers.Dropout(rate=dropout_rate),
        ])
        self.channel_projection2 = layers.Dense(units=embedding_dim)
        self.spatial_projection = layers.Dense(units=num_patches, bias_initializer="Ones")
        self.normalize1 = layers.LayerNormalization(epsilon=1e-6)
        self.normalize2 = layers.LayerNormalization(epsilon=1e-6)

    def spatial_gating_unit(self, x):
        u, v = ops.split(x, indices_or_sections=2, axis=2)
        v = self.normalize2(v)
        v_channels = ops.swapaxes(v, -1, -2)
        v_projected = self.spatial_projection(v_channels)
        v_projected = ops.swapaxes(v_projected, -1, -2)
        return u * v_projected

    def call(self, inputs):
        x = self.normalize1(inputs)
        x_projected = self.channel_projection1(x)
        x_spatial = self.spatial_gating_unit(x_projected)
        x_projected = self.channel_projection2(x_spatial)
        return x + x_projected


class PositionEmbedding(layers.Layer):
    def __init__(self, num_patches, embedding_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_patches = num_patches
        self.embedding = layers.Embedding(input_dim=num_patches, output_dim=embedding_dim)

    def call(self, x):
        positions = ops.arange(start=0, stop=self.num_patches, step=1)
        return x + self.embedding(positions)


def build_classifier(blocks, positional_encoding=False):
    inputs = layers.Input(shape=input_shape)
    patches = Patches(patch_size, num_patches)(inputs)
    x = layers.Dense(units=embedding_dim)(patches)
    if positional_encoding:
        # Embedding called on a concrete arange at construction time would be a constant computed
        # once (PyTorch then backpropagates through a freed graph): do it inside a layer.
        x = PositionEmbedding(num_patches, embedding_dim)(x)
    x = blocks(x)
    representation = layers.GlobalAveragePooling1D()(x)
    representation = layers.Dropout(rate=dropout_rate)(representation)
    logits = layers.Dense(num_classes)(representation)
    return keras.Model(inputs=inputs, outputs=logits)


def run_experiment(model):
    optimizer = keras.optimizers.AdamW(learning_rate=0.005, weight_decay=0.0001)
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
