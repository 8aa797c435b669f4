"""Focal Modulation Network on tiny synthetic images (in the style of the tf.keras-era keras.io
"Focal Modulation: A replacement for Self-Attention" example): a PatchEmbed layer with a strided
Conv2D and tf.reshape; a FocalModulationLayer whose call() splits a projection into query, context
and gates with tf.split (keeping self.gates and self.modulator as attributes for visualisation),
runs depthwise Conv2D(groups=dim) + gelu context layers, adds a global context from
tf.reduce_mean(keepdims=True) and gates it with slices; FocalModulationBlock with layer-scale
weights created by add_weight in build(); a FocalModulationNetwork keras.Model with a list of
stages and a PatchMerging step using tf.reshape; a TrainMonitor callback reading the stored gates
and modulator after a forward pass and upsampling them with UpSampling2D."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.random.set_seed(42)

IMAGE_SIZE = 16
NUM_CLASSES = 10
BATCH_SIZE = 8

# Synthetic stand-in for CIFAR-10.
x_train = np.random.rand(32, IMAGE_SIZE, IMAGE_SIZE, 3).astype("float32")
y_train = np.random.randint(0, NUM_CLASSES, size=(32,))
x_val = np.random.rand(16, IMAGE_SIZE, IMAGE_SIZE, 3).astype("float32")
y_val = np.random.randint(0, NUM_CLASSES, size=(16,))
test_images = x_val[:4]

train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(64).batch(BATCH_SIZE)
val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(BATCH_SIZE)


class PatchEmbed(layers.Layer):
    def __init__(self, image_size=(16, 16), patch_size=(2, 2), embed_dim=16, **kwargs):
        super().__init__(**kwargs)
        patch_resolution = [image_size[0] // patch_size[0], image_size[1] // patch_size[1]]
        self.patch_resolution = patch_resolution
        self.embed_dim = embed_dim
        self.proj = layers.Conv2D(filters=embed_dim, kernel_size=patch_size, strides=patch_size)
        self.flatten = layers.Reshape(target_shape=(-1, embed_dim))
        self.norm = layers.LayerNormalization(epsilon=1e-7)

    def call(self, x):
        x = self.proj(x)
        height, width = tf.shape(x)[1], tf.shape(x)[2]
        x = self.flatten(x)
        x = self.norm(x)
        return x, height, width


def MLP(in_features, hidden_features=None, out_features=None, mlp_drop_rate=0.0):
    hidden_features = hidden_features or in_features
    out_features = out_features or in_features
    return keras.Sequential(
        [
            layers.Dense(units=hidden_features, activation=keras.activations.gelu),
            layers.Dense(units=out_features),
            layers.Dropout(rate=mlp_drop_rate),
        ]
    )


class FocalModulationLayer(layers.Layer):
    def __init__(self, dim, focal_window, focal_level, focal_factor=2, proj_drop_rate=0.0, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.focal_window = focal_window
        self.focal_level = focal_level
        self.focal_factor = focal_factor
        self.proj_drop_rate = proj_drop_rate

        # Project the input feature into a new feature space using a linear layer.
        self.initial_proj = layers.Dense(units=(2 * self.dim) + (self.focal_level + 1), use_bias=True)
        self.focal_layers = list()
        self.kernel_sizes = list()
        for idx in range(self.focal_level):
            kernel_size = (self.focal_factor * idx) + self.focal_window
            depth_gelu_block = keras.Sequential(
                [
                    layers.ZeroPadding2D(padding=(kernel_size // 2, kernel_size // 2)),
                    layers.Conv2D(
                        filters=self.dim,
                        kernel_size=kernel_size,
                        activation=keras.activations.gelu,
                        groups=self.dim,
                        use_bias=False,
                    ),
                ]
            )
            self.focal_layers.append(depth_gelu_block)
            self.kernel_sizes.append(kernel_size)
        self.activation = keras.activations.gelu
        self.modulator_proj = layers.Conv2D(filters=self.dim, kernel_size=(1, 1), use_bias=True)
        self.proj = layers.Dense(units=self.dim)
        self.proj_drop = layers.Dropout(self.proj_drop_rate)

    def call(self, x, training=None):
        x_proj = self.initial_proj(x)
        query, context, self.gates = tf.split(x_proj, [self.dim, self.dim, self.focal_level + 1], -1)

        # Context aggregation
        context = self.focal_layers[0](context)
        context_all = context * self.gates[..., 0:1]
        for idx in range(1, self.focal_level):
            context = self.focal_layers[idx](context)
            context_all += context * self.gates[..., idx : idx + 1]

        # Build the global context
        context_global = self.activation(tf.reduce_mean(context, axis=(1, 2), keepdims=True))
        context_all += context_global * self.gates[..., self.focal_level :]

        # Focal Modulation
        self.modulator = self.modulator_proj(context_all)
        x_output = query * self.modulator

        # Project the output and apply dropout
        x_output = self.proj(x_output)
        x_output = self.proj_drop(x_output, training=training)
        return x_output


class FocalModulationBlock(layers.Layer):
    def __init__(self, dim, input_resolution, mlp_ratio=4.0, mlp_drop_rate=0.0, focal_level=2,
                 focal_window=3, layerscale_value=1e-4, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.input_resolution = input_resolution
        self.layerscale_value = layerscale_value
        self.norm = layers.LayerNormalization(epsilon=1e-5)
        self.modulation = FocalModulationLayer(
            dim=self.dim, focal_window=focal_window, focal_level=focal_level
        )
        self.mlp = MLP(in_features=dim, hidden_features=int(dim * mlp_ratio), mlp_drop_rate=mlp_drop_rate)

    def build(self, input_shape):
        # Layer scale weights (from the paper's use_layerscale option).
        self.gamma_1 = self.add_weight(
            name="gamma_1",
            shape=(self.dim,),
            initializer=tf.keras.initializers.Constant(self.layerscale_value),
            trainable=True,
        )
        self.gamma_2 = self.add_weight(
            name="gamma_2",
            shape=(self.dim,),
            initializer=tf.keras.initializers.Constant(self.layerscale_value),
            trainable=True,
        )
        super().build(input_shape)

    def call(self, x, height=None, width=None, channels=None):
        shortcut = x
        # Focal Modulation
        x = tf.reshape(x, shape=(-1, height, width, channels))
        x = self.modulation(x)
        x = tf.reshape(x, shape=(-1, height * width, channels))
        # FFN
        x = shortcut + self.gamma_1 * x
        x = x + self.gamma_2 * self.mlp(self.norm(x))
        return x


class BasicLayer(layers.Layer):
    def __init__(self, dim, out_dim, input_resolution, depth, downsample=True, focal_level=2,
                 focal_window=3, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.input_resolution = input_resolution
        self.blocks = [
            FocalModulationBlock(dim=dim, input_resolution=input_resolution,
                                 focal_level=focal_level, focal_window=focal_window)
            for _ in range(depth)
        ]
        if downsample:
            self.downsample = PatchEmbed(
                image_size=input_resolution, patch_size=(2, 2), embed_dim=out_dim
            )
        else:
            self.downsample = None

    def call(self, x, height=None, width=None, channels=None):
        for block in self.blocks:
            x = block(x, height=height, width=width, channels=channels)
        if self.downsample is not None:
            x = tf.reshape(x, shape=(-1, height, width, channels))
            x, height_o, width_o = self.downsample(x)
        else:
            height_o, width_o = height, width
        return x, height_o, width_o


class FocalModulationNetwork(keras.Model):
    def __init__(self, image_size=(16, 16), patch_size=(2, 2), num_classes=10, embed_dim=16,
                 depths=[1, 1], focal_levels=[2, 2], focal_windows=[3, 3], **kwargs):
        super().__init__(**kwargs)
        self.num_layers = len(depths)
        embed_dim = [embed_dim * (2**i) for i in range(self.num_layers)]
        self.num_classes = num_classes
        self.embed_dim = embed_dim
        self.num_features = embed_dim[-1]
        self.patch_embed = PatchEmbed(image_size=image_size, patch_size=patch_size, embed_dim=embed_dim[0])
        patches_resolution = self.patch_embed.patch_resolution
        self.patches_resolution = patches_resolution
        self.basic_layers = list()
        for idx in range(self.num_layers):
            layer = BasicLayer(
                dim=embed_dim[idx],
                out_dim=embed_dim[idx + 1] if (idx < self.num_layers - 1) else None,
                input_resolution=(patches_resolution[0] // (2**idx), patches_resolution[1] // (2**idx)),
                depth=depths[idx],
                downsample=True if (idx < self.num_layers - 1) else False,
                focal_level=focal_levels[idx],
                focal_window=focal_windows[idx],
            )
            self.basic_layers.append(layer)
        self.norm = keras.layers.LayerNormalization(epsilon=1e-7)
        self.avgpool = layers.GlobalAveragePooling1D()
        self.flatten = layers.Flatten()
        self.head = layers.Dense(self.num_classes, activation="softmax")

    def call(self, x):
        x, height, width = self.patch_embed(x)
        for idx, layer in enumerate(self.basic_layers):
            x, height, width = layer(x, height=height, width=width, channels=self.embed_dim[idx])
        x = self.norm(x)
        x = self.avgpool(x)
        x = self.flatten(x)
        x = self.head(x)
        return x


class TrainMonitor(keras.callbacks.Callback):
    def __init__(self, epoch_interval=None):
        self.epoch_interval = epoch_interval

    def on_epoch_end(self, epoch, logs=None):
        if self.epoch_interval and epoch % self.epoch_interval == 0:
            # The upsampling layer
            upsampler = tf.keras.layers.UpSampling2D(size=(2, 2), interpolation="bilinear")
            # Perform a forward pass with the test images
            _ = self.model(test_images)
            # Get the modulator and the gates of the last block of the second stage
            gates = upsampler(self.model.basic_layers[1].blocks[-1].modulation.gates)
            modulator = upsampler(self.model.basic_layers[1].blocks[-1].modulation.modulator)
            modulator = tf.norm(modulator, axis=-1)
            print("gates", gates.shape, "modulator", modulator.shape, float(tf.reduce_mean(modulator)))


focal_mod_net = FocalModulationNetwork()
focal_mod_net.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=["accuracy"],
)
history = focal_mod_net.fit(
    train_ds, epochs=1, validation_data=val_ds, callbacks=[TrainMonitor(epoch_interval=1)], verbose=2
)
loss, accuracy = focal_mod_net.evaluate(val_ds, verbose=0)
print(f"Loss: {loss:0.2f}, accuracy: {accuracy * 100:0.2f}%")
