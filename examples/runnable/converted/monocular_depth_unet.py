"""Monocular depth estimation: hand conversion to multi-backend Keras 3.

The train_step / test_step pair becomes a compute_loss override (the default train and test steps of
every backend differentiate it); tf.image.ssim and tf.image.image_gradients are ported to keras.ops.

A keras.utils.Sequence data generator yielding (image, depth map) batches, a U-Net of
DownscaleBlock / UpscaleBlock / BottleNeckBlock layers (LeakyReLU, UpSampling2D, Concatenate),
and a DepthEstimationModel subclass with its own train_step / test_step whose loss combines
tf.image.ssim, an L1 term and a depth-smoothness term on tf.image.image_gradients, tracked by a
keras.metrics.Mean declared in the `metrics` property; visual check by predicting one batch.
"""
import numpy as np
import keras
from keras import layers, ops

keras.utils.set_random_seed(123)

HEIGHT = 32
WIDTH = 32
LR = 0.0002
EPOCHS = 2
BATCH_SIZE = 8


class DataGenerator(keras.utils.PyDataset):
    def __init__(self, data, batch_size=6, dim=(768, 1024), n_channels=3, shuffle=True, **kwargs):
        """Initialization"""
        super().__init__(**kwargs)
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
        self.reluA = layers.LeakyReLU(negative_slope=0.2)
        self.reluB = layers.LeakyReLU(negative_slope=0.2)
        self.bn2a = layers.BatchNormalization()
        self.bn2b = layers.BatchNormalization()
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
        self.reluA = layers.LeakyReLU(negative_slope=0.2)
        self.reluB = layers.LeakyReLU(negative_slope=0.2)
        self.bn2a = layers.BatchNormalization()
        self.bn2b = layers.BatchNormalization()
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
        self.reluA = layers.LeakyReLU(negative_slope=0.2)
        self.reluB = layers.LeakyReLU(negative_slope=0.2)

    def call(self, x):
        x = self.convA(x)
        x = self.reluA(x)
        x = self.convB(x)
        x = self.reluB(x)
        return x


def gaussian_kernel(size, sigma, channels):
    coords = np.arange(size, dtype="float32") - (size - 1) / 2.0
    g = np.square(coords) * (-0.5 / sigma**2)
    g = g.reshape(1, -1) + g.reshape(-1, 1)
    g = np.exp(g - g.max())
    g = g / g.sum()
    return np.tile(g.reshape(size, size, 1, 1), (1, 1, channels, 1)).astype("float32")


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03):
    """keras.ops port of tf.image.ssim (Gaussian window, VALID padding, mean over space and channels)."""
    channels = img1.shape[-1]
    kernel = gaussian_kernel(filter_size, filter_sigma, channels)

    def reducer(x):
        return ops.depthwise_conv(x, kernel, strides=1, padding="valid")

    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mean0 = reducer(img1)
    mean1 = reducer(img2)
    num0 = mean0 * mean1 * 2.0
    den0 = ops.square(mean0) + ops.square(mean1)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reducer(img1 * img2) * 2.0
    den1 = reducer(ops.square(img1) + ops.square(img2))
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    return ops.mean(luminance * cs, axis=[-3, -2, -1])


def image_gradients(image):
    """keras.ops port of tf.image.image_gradients (zero in the last row / column)."""
    dy = image[:, 1:, :, :] - image[:, :-1, :, :]
    dx = image[:, :, 1:, :] - image[:, :, :-1, :]
    dy = ops.pad(dy, [[0, 0], [0, 1], [0, 0], [0, 0]])
    dx = ops.pad(dx, [[0, 0], [0, 0], [0, 1], [0, 0]])
    return dy, dx


class DepthEstimationModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.ssim_loss_weight = 0.85
        self.l1_loss_weight = 0.1
        self.edge_loss_weight = 0.9
        self.loss_metric = keras.metrics.Mean(name="loss")
        f = [8, 16, 32]
        self.downscale_blocks = [DownscaleBlock(f[0]), DownscaleBlock(f[1])]
        self.bottle_neck_block = BottleNeckBlock(f[2])
        self.upscale_blocks = [UpscaleBlock(f[1]), UpscaleBlock(f[0])]
        self.conv_layer = layers.Conv2D(1, (1, 1), padding="same", activation="tanh")

    def calculate_loss(self, target, pred):
        # Edges
        dy_true, dx_true = image_gradients(target)
        dy_pred, dx_pred = image_gradients(pred)
        weights_x = ops.exp(ops.mean(ops.abs(dx_true)))
        weights_y = ops.exp(ops.mean(ops.abs(dy_true)))

        # Depth smoothness
        smoothness_x = dx_pred * weights_x
        smoothness_y = dy_pred * weights_y
        depth_smoothness_loss = ops.mean(ops.abs(smoothness_x)) + ops.mean(ops.abs(smoothness_y))

        # Structural similarity (SSIM) index
        ssim_loss = ops.mean(1 - ssim(target, pred, max_val=WIDTH, filter_size=7, k1=0.01**2, k2=0.03**2))
        # Point-wise depth
        l1_loss = ops.mean(ops.abs(target - pred))

        loss = (
            (self.ssim_loss_weight * ssim_loss)
            + (self.l1_loss_weight * l1_loss)
            + (self.edge_loss_weight * depth_smoothness_loss)
        )
        return loss

    @property
    def metrics(self):
        return [self.loss_metric]

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = self.calculate_loss(y, y_pred)
        self.loss_metric.update_state(loss)
        return loss

    def call(self, x):
        c1, p1 = self.downscale_blocks[0](x)
        c2, p2 = self.downscale_blocks[1](p1)
        bn = self.bottle_neck_block(p2)
        u1 = self.upscale_blocks[0](bn, c2)
        u2 = self.upscale_blocks[1](u1, c1)
        return self.conv_layer(u2)


optimizer = keras.optimizers.Adam(learning_rate=LR, amsgrad=False)
model = DepthEstimationModel()
# The loss comes from compute_loss; the unused compiled cross-entropy is dropped.
model.compile(optimizer)

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
