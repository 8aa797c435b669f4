"""Monocular depth estimation (keras.io, tf.keras era).

A keras.utils.Sequence data generator yielding (image, depth map) batches, a U-Net of
DownscaleBlock / UpscaleBlock / BottleNeckBlock layers (LeakyReLU, UpSampling2D, Concatenate),
and a DepthEstimationModel subclass with its own train_step / test_step whose loss combines
tf.image.ssim, an L1 term and a depth-smoothness term on tf.image.image_gradients, tracked by a
keras.metrics.Mean declared in the `metrics` property; visual check by predicting one batch.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.random.set_seed(123)

HEIGHT = 32
WIDTH = 32
LR = 0.0002
EPOCHS = 2
BATCH_SIZE = 8


class DataGenerator(tf.keras.utils.Sequence):
    def __init__(self, data, batch_size=6, dim=(768, 1024), n_channels=3, shuffle=True):
        """Initialization"""
        self.data = data
        self.indices = np.arange(len(data["image"]))
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.min_depth = 0.1
        self.dim = dim
        self.n_channels = n_channels
        self.on_epoch_end()

    def __len__(self):
        return int(np.ceil(len(self.data["image"]) / self.batch_size))

    def __getitem__(self, index):
        if (index + 1) * self.batch_size > len(self.indices):
            self.batch_size = len(self.indices) - index * self.batch_size
        index = self.indices[index * self.batch_size : (index + 1) * self.batch_size]
        x, y = self.data_generation(index)
        return x, y

    def on_epoch_end(self):
        """Updates indexes after each epoch"""
        if self.shuffle:
            np.random.shuffle(self.indices)

    def load(self, i):
        image_ = self.data["image"][i].astype("float32") / 255.0
        depth_map = self.data["depth"][i]
        max_depth = min(300, np.percentile(depth_map, 99))
        depth_map = np.clip(depth_map, self.min_depth, max_depth)
        depth_map = np.log(depth_map)
        depth_map = np.expand_dims(np.clip(depth_map, 0.1, np.log(max_depth)), axis=2)
        return image_, depth_map

    def data_generation(self, batch):
        x = np.empty((self.batch_size, *self.dim, self.n_channels), dtype="float32")
        y = np.empty((self.batch_size, *self.dim, 1), dtype="float32")
        for i, batch_id in enumerate(batch):
            x[i,], y[i,] = self.load(batch_id)
        return x, y


rng = np.random.RandomState(0)
n = 32
depth = np.tile(np.linspace(1.0, 20.0, HEIGHT)[:, None], (1, WIDTH))[None] * rng.uniform(0.5, 1.5, size=(n, 1, 1))
image = (255 * (depth[..., None] / 30.0) * rng.uniform(0.8, 1.0, size=(n, HEIGHT, WIDTH, 3))).astype("uint8")
data = {"image": image, "depth": depth.astype("float32")}


class DownscaleBlock(layers.Layer):
    def __init__(self, filters, kernel_size=(3, 3), padding="same", strides=1, **kwargs):
        super().__init__(**kwargs)
        self.convA = layers.Conv2D(filters, kernel_size, strides, padding)
        self.convB = layers.Conv2D(filters, kernel_size, strides, padding)
        self.reluA = layers.LeakyReLU(alpha=0.2)
        self.reluB = layers.LeakyReLU(alpha=0.2)
        self.bn2a = tf.keras.layers.BatchNormalization()
        self.bn2b = tf.keras.layers.BatchNormalization()
        self.pool = layers.MaxPool2D((2, 2), (2, 2))

    def call(self, input_tensor):
        d = self.convA(input_tensor)
        x = self.bn2a(d)
        x = self.reluA(x)
        x = self.convB(x)
        x = self.bn2b(x)
        x = self.reluB(x)
        x += d
        p = self.pool(x)
        return x, p


class UpscaleBlock(layers.Layer):
    def __init__(self, filters, kernel_size=(3, 3), padding="same", strides=1, **kwargs):
        super().__init__(**kwargs)
        self.us = layers.UpSampling2D((2, 2))
        self.convA = layers.Conv2D(filters, kernel_size, strides, padding)
        self.convB = layers.Conv2D(filters, kernel_size, strides, padding)
        self.reluA = layers.LeakyReLU(alpha=0.2)
        self.reluB = layers.LeakyReLU(alpha=0.2)
        self.bn2a = tf.keras.layers.BatchNormalization()
        self.bn2b = tf.keras.layers.BatchNormalization()
        self.conc = layers.Concatenate()

    def call(self, x, skip):
        x = self.us(x)
        concat = self.conc([x, skip])
        x = self.convA(concat)
        x = self.bn2a(x)
        x = self.reluA(x)
        x = self.convB(x)
        x = self.bn2b(x)
        x = self.reluB(x)
        return x


class BottleNeckBlock(layers.Layer):
    def __init__(self, filters, kernel_size=(3, 3), padding="same", strides=1, **kwargs):
        super().__init__(**kwargs)
        self.convA = layers.Conv2D(filters, kernel_size, strides, padding)
        self.convB = layers.Conv2D(filters, kernel_size, strides, padding)
        self.reluA = layers.LeakyReLU(alpha=0.2)
        self.reluB = layers.LeakyReLU(alpha=0.2)

    def call(self, x):
        x = self.convA(x)
        x = self.reluA(x)
        x = self.convB(x)
        x = self.reluB(x)
        return x


class DepthEstimationModel(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.ssim_loss_weight = 0.85
        self.l1_loss_weight = 0.1
        self.edge_loss_weight = 0.9
        self.loss_metric = tf.keras.metrics.Mean(name="loss")
        f = [8, 16, 32]
        self.downscale_blocks = [DownscaleBlock(f[0]), DownscaleBlock(f[1])]
        self.bottle_neck_block = BottleNeckBlock(f[2])
        self.upscale_blocks = [UpscaleBlock(f[1]), UpscaleBlock(f[0])]
        self.conv_layer = layers.Conv2D(1, (1, 1), padding="same", activation="tanh")

    def calculate_loss(self, target, pred):
        # Edges
        dy_true, dx_true = tf.image.image_gradients(target)
        dy_pred, dx_pred = tf.image.image_gradients(pred)
        weights_x = tf.exp(tf.reduce_mean(tf.abs(dx_true)))
        weights_y = tf.exp(tf.reduce_mean(tf.abs(dy_true)))

        # Depth smoothness
        smoothness_x = dx_pred * weights_x
        smoothness_y = dy_pred * weights_y
        depth_smoothness_loss = tf.reduce_mean(abs(smoothness_x)) + tf.reduce_mean(abs(smoothness_y))

        # Structural similarity (SSIM) index
        ssim_loss = tf.reduce_mean(
            1 - tf.image.ssim(target, pred, max_val=WIDTH, filter_size=7, k1=0.01**2, k2=0.03**2)
        )
        # Point-wise depth
        l1_loss = tf.reduce_mean(tf.abs(target - pred))

        loss = (
            (self.ssim_loss_weight * ssim_loss)
            + (self.l1_loss_weight * l1_loss)
            + (self.edge_loss_weight * depth_smoothness_loss)
        )
        return loss

    @property
    def metrics(self):
        return [self.loss_metric]

    def train_step(self, batch_data):
        input, target = batch_data
        with tf.GradientTape() as tape:
            pred = self(input, training=True)
            loss = self.calculate_loss(target, pred)

        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.loss_metric.update_state(loss)
        return {"loss": self.loss_metric.result()}

    def test_step(self, batch_data):
        input, target = batch_data
        pred = self(input, training=False)
        loss = self.calculate_loss(target, pred)
        self.loss_metric.update_state(loss)
        return {"loss": self.loss_metric.result()}

    def call(self, x):
        c1, p1 = self.downscale_blocks[0](x)
        c2, p2 = self.downscale_blocks[1](p1)
        bn = self.bottle_neck_block(p2)
        u1 = self.upscale_blocks[0](bn, c2)
        u2 = self.upscale_blocks[1](u1, c1)
        return self.conv_layer(u2)


optimizer = tf.keras.optimizers.Adam(learning_rate=LR, amsgrad=False)
model = DepthEstimationModel()
# Define the loss function
cross_entropy = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")
# Compile the model
model.compile(optimizer, loss=cross_entropy)

train_loader = DataGenerator(
    data={"image": data["image"][:24], "depth": data["depth"][:24]}, batch_size=BATCH_SIZE, dim=(HEIGHT, WIDTH)
)
validation_loader = DataGenerator(
    data={"image": data["image"][24:], "depth": data["depth"][24:]}, batch_size=BATCH_SIZE, dim=(HEIGHT, WIDTH)
)
history = model.fit(train_loader, epochs=EPOCHS, validation_data=validation_loader, verbose=2)
print("val loss:", history.history["val_loss"][-1])

test_loader = next(
    iter(DataGenerator(data={"image": data["image"][24:], "depth": data["depth"][24:]}, batch_size=4, dim=(HEIGHT, WIDTH)))
)
input, target = test_loader
pred = model.predict(input)
print("prediction:", pred.shape, "target:", target.shape)
assert pred.shape == (4, HEIGHT, WIDTH, 1)
