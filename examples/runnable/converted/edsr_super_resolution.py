"""Enhanced Deep Residual Networks for single-image super-resolution (in the style of the keras.io
EDSR example, TF 2 era): a tf.data pipeline of (low, high) resolution pairs with random crops, flips
and rotations, an EDSRModel with a custom train_step and predict_step, residual blocks, a
PixelShuffle layer and a PSNR metric.

Hand conversion to multi-backend Keras 3: the tf.data pipeline stays TensorFlow (it feeds every
backend); EDSRModel drops its train_step (it did what Keras 3's default train step does: forward
pass, compiled loss, gradients, compiled metrics) and its predict_step uses keras.ops (expand_dims,
cast, clip, round, squeeze); PixelShuffle calls keras.ops.depth_to_space; the PSNR metric is
keras.ops.psnr on the first image of the batch (tf.image.psnr(...)[0]) with both images cast to
float32 (Keras passes the uint8 target first); the crop fed to predict_step is converted to NumPy and its result read with
keras.ops.convert_to_numpy."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

AUTOTUNE = tf.data.AUTOTUNE
SCALE = 4
HR_SIZE = 16

rng = np.random.default_rng(9)
high_res = rng.integers(0, 256, size=(24, 20, 20, 3)).astype("uint8")
low_res = tf.cast(
    tf.image.resize(high_res.astype("float32"), (5, 5), method="bicubic"), tf.uint8
).numpy()


def flip_left_right(lowres_img, highres_img):
    """Flips Images to left and right."""
    rn = tf.random.uniform(shape=(), maxval=1)
    return tf.cond(
        rn < 0.5,
        lambda: (lowres_img, highres_img),
        lambda: (tf.image.flip_left_right(lowres_img), tf.image.flip_left_right(highres_img)),
    )


def random_rotate(lowres_img, highres_img):
    """Rotates Images by 90 degrees."""
    rn = tf.random.uniform(shape=(), maxval=4, dtype=tf.int32)
    return tf.image.rot90(lowres_img, rn), tf.image.rot90(highres_img, rn)


def random_crop(lowres_img, highres_img, hr_crop_size=HR_SIZE, scale=SCALE):
    """Crop images: low resolution images 4x4, high resolution images 16x16."""
    lowres_crop_size = hr_crop_size // scale
    lowres_img_shape = tf.shape(lowres_img)[:2]
    lowres_width = tf.random.uniform(shape=(), maxval=lowres_img_shape[1] - lowres_crop_size + 1, dtype=tf.int32)
    lowres_height = tf.random.uniform(shape=(), maxval=lowres_img_shape[0] - lowres_crop_size + 1, dtype=tf.int32)
    highres_width = lowres_width * scale
    highres_height = lowres_height * scale
    lowres_img_cropped = lowres_img[
        lowres_height : lowres_height + lowres_crop_size,
        lowres_width : lowres_width + lowres_crop_size,
    ]
    highres_img_cropped = highres_img[
        highres_height : highres_height + hr_crop_size,
        highres_width : highres_width + hr_crop_size,
    ]
    return lowres_img_cropped, highres_img_cropped


def dataset_object(dataset_cache, training=True):
    ds = dataset_cache
    ds = ds.map(lambda lowres, highres: random_crop(lowres, highres, scale=SCALE), num_parallel_calls=AUTOTUNE)
    if training:
        ds = ds.map(random_rotate, num_parallel_calls=AUTOTUNE)
        ds = ds.map(flip_left_right, num_parallel_calls=AUTOTUNE)
    ds = ds.batch(4)
    if training:
        ds = ds.repeat()
    ds = ds.prefetch(buffer_size=AUTOTUNE)
    return ds


train_cache = tf.data.Dataset.from_tensor_slices((low_res[:16], high_res[:16])).cache()
val_cache = tf.data.Dataset.from_tensor_slices((low_res[16:], high_res[16:])).cache()
train_ds = dataset_object(train_cache, training=True)
val_ds = dataset_object(val_cache, training=False)


def PSNR(super_resolution, high_resolution):
    """Compute the peak signal-to-noise ratio, measures quality of image."""
    # Max value of pixel is 255
    # Keras passes (y_true, y_pred): the uint8 target arrives first; PSNR needs floats of one dtype.
    super_resolution = ops.cast(super_resolution, "float32")
    high_resolution = ops.cast(high_resolution, "float32")
    psnr_value = ops.psnr(high_resolution[0], super_resolution[0], max_val=255)
    return psnr_value


class EDSRModel(keras.Model):
    def predict_step(self, x):
        # Adding dummy dimension and converting to float32
        x = ops.cast(ops.expand_dims(x, axis=0), "float32")
        # Passing low resolution image to model
        super_resolution_img = self(x, training=False)
        # Clips the tensor from min(0) to max(255)
        super_resolution_img = ops.clip(super_resolution_img, 0, 255)
        # Rounds the values of a tensor to the nearest integer
        super_resolution_img = ops.round(super_resolution_img)
        # Removes dimensions of size 1 from the shape of a tensor and converting to uint8
        super_resolution_img = ops.squeeze(ops.cast(super_resolution_img, "uint8"), axis=0)
        return super_resolution_img


class PixelShuffle(layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return ops.depth_to_space(inputs, self.factor)


# Residual Block
def ResBlock(inputs):
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(16, 3, padding="same")(x)
    x = layers.Add()([inputs, x])
    return x


# Upsampling Block
def Upsampling(inputs, factor=2, **kwargs):
    x = layers.Conv2D(16 * (factor ** 2), 3, padding="same", **kwargs)(inputs)
    x = PixelShuffle(factor)(x)
    x = layers.Conv2D(16 * (factor ** 2), 3, padding="same", **kwargs)(x)
    x = PixelShuffle(factor)(x)
    return x


def make_model(num_filters, num_of_residual_blocks):
    # Flexible Inputs to input_layer
    input_layer = layers.Input(shape=(None, None, 3))
    # Scaling Pixel Values
    x = layers.Rescaling(scale=1.0 / 255)(input_layer)
    x = x_new = layers.Conv2D(num_filters, 3, padding="same")(x)

    # 2 residual blocks
    for _ in range(num_of_residual_blocks):
        x_new = ResBlock(x_new)

    x_new = layers.Conv2D(num_filters, 3, padding="same")(x_new)
    x = layers.Add()([x, x_new])

    x = Upsampling(x)
    x = layers.Conv2D(3, 3, padding="same")(x)

    output_layer = layers.Rescaling(scale=255)(x)
    return EDSRModel(input_layer, output_layer)


model = make_model(num_filters=16, num_of_residual_blocks=2)

# Using adam optimizer with initial learning rate as 1e-4, changing learning rate after 5000 steps to 5e-5
optim_edsr = keras.optimizers.Adam(
    learning_rate=keras.optimizers.schedules.PiecewiseConstantDecay(boundaries=[5000], values=[1e-4, 5e-5])
)
# Compiling model with loss as mean absolute error(L1 Loss) and metric as psnr
model.compile(optimizer=optim_edsr, loss="mae", metrics=[PSNR])
# Training for more epochs will improve results
history = model.fit(train_ds, epochs=1, steps_per_epoch=3, validation_data=val_ds, verbose=2)
print({k: round(float(v[-1]), 3) for k, v in history.history.items()})
assert "val_psnr" in [k.lower() for k in history.history], history.history.keys()

for lowres, highres in val_cache.take(2):
    lowres = tf.image.random_crop(lowres, (4, 4, 3)).numpy()
    preds = model.predict_step(lowres)
    image = ops.convert_to_numpy(preds)
    assert image.shape == (16, 16, 3) and image.dtype == np.uint8, (image.shape, image.dtype)
    print("super-resolved", image.shape, int(image.max()))
print("edsr ok")
