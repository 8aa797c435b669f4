"""Hand conversion to multi-backend Keras 3 (as the Keras team would port the keras.io example):
`import keras` / `from keras import layers, ops`; tf.nn.relu on KerasTensors -> keras.ops.relu;
the decoder resize tf.image.resize(x, tf.shape(skip)[1:3]) -> keras.ops.image.resize with the
static size read from skip.shape; the learning rate read with optimizer.learning_rate and
keras.ops.convert_to_numpy; the best-only checkpoint to a `.keras` file; tf.data (tf.io,
tf.image) stays for the input pipeline.

DeepLabV3+ multiclass segmentation on tiny synthetic images (in the style of the tf.keras-era
keras.io "Multiclass semantic segmentation using DeepLabV3+" example): PNG files written with
tf.io and read back in a tf.data pipeline (tf.io.read_file, tf.image.decode_png, set_shape,
tf.image.resize, image / 127.5 - 1), a small named backbone whose intermediate outputs are taken
with get_layer(name).output, a convolution_block returning tf.nn.relu(x) on KerasTensors, Dilated
Spatial Pyramid Pooling with AveragePooling2D over dims read from .shape and a bilinear
UpSampling2D, the decoder skip branch resized with tf.image.resize(x, tf.shape(skip)[1:3]) on
KerasTensors, SparseCategoricalCrossentropy(from_logits=True), a best-only ModelCheckpoint to an
.h5 file, a custom callback reading the learning rate, and numpy inference (np.squeeze,
np.argmax, colour-map decoding, an overlay from tf.cast(...).numpy())."""
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

IMAGE_SIZE = 32
BATCH_SIZE = 4
NUM_CLASSES = 5
NUM_TRAIN_IMAGES = 12
NUM_VAL_IMAGES = 4

"""
## Write a tiny synthetic dataset of images and masks to disk
"""
DATA_DIR = tempfile.mkdtemp()
rng = np.random.default_rng(1)
os.makedirs(os.path.join(DATA_DIR, "Images"))
os.makedirs(os.path.join(DATA_DIR, "Category_ids"))
for i in range(NUM_TRAIN_IMAGES + NUM_VAL_IMAGES):
    image = rng.integers(0, 255, size=(40, 40, 3)).astype("uint8")
    mask = rng.integers(0, NUM_CLASSES, size=(40, 40, 1)).astype("uint8")
    tf.io.write_file(
        os.path.join(DATA_DIR, "Images", f"{i:04d}.png"), tf.image.encode_png(image)
    )
    tf.io.write_file(
        os.path.join(DATA_DIR, "Category_ids", f"{i:04d}.png"), tf.image.encode_png(mask)
    )

train_images = sorted(
    [os.path.join(DATA_DIR, "Images", f) for f in os.listdir(os.path.join(DATA_DIR, "Images"))]
)[:NUM_TRAIN_IMAGES]
train_masks = sorted(
    [os.path.join(DATA_DIR, "Category_ids", f) for f in os.listdir(os.path.join(DATA_DIR, "Category_ids"))]
)[:NUM_TRAIN_IMAGES]
val_images = sorted(
    [os.path.join(DATA_DIR, "Images", f) for f in os.listdir(os.path.join(DATA_DIR, "Images"))]
)[NUM_TRAIN_IMAGES : NUM_VAL_IMAGES + NUM_TRAIN_IMAGES]
val_masks = sorted(
    [os.path.join(DATA_DIR, "Category_ids", f) for f in os.listdir(os.path.join(DATA_DIR, "Category_ids"))]
)[NUM_TRAIN_IMAGES : NUM_VAL_IMAGES + NUM_TRAIN_IMAGES]


def read_image(image_path, mask=False):
    image = tf.io.read_file(image_path)
    if mask:
        image = tf.image.decode_png(image, channels=1)
        image.set_shape([None, None, 1])
        image = tf.image.resize(images=image, size=[IMAGE_SIZE, IMAGE_SIZE], method="nearest")
    else:
        image = tf.image.decode_png(image, channels=3)
        image.set_shape([None, None, 3])
        image = tf.image.resize(images=image, size=[IMAGE_SIZE, IMAGE_SIZE])
        image = image / 127.5 - 1
    return image


def load_data(image_list, mask_list):
    image = read_image(image_list)
    mask = read_image(mask_list, mask=True)
    return image, mask


def data_generator(image_list, mask_list):
    dataset = tf.data.Dataset.from_tensor_slices((image_list, mask_list))
    dataset = dataset.map(load_data, num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.batch(BATCH_SIZE, drop_remainder=True)
    return dataset


train_dataset = data_generator(train_images, train_masks)
val_dataset = data_generator(val_images, val_masks)

print("Train Dataset:", train_dataset)
print("Val Dataset:", val_dataset)

"""
## Building the DeepLabV3+ model
"""


def convolution_block(
    block_input,
    num_filters=16,
    kernel_size=3,
    dilation_rate=1,
    padding="same",
    use_bias=False,
):
    x = layers.Conv2D(
        num_filters,
        kernel_size=kernel_size,
        dilation_rate=dilation_rate,
        padding="same",
        use_bias=use_bias,
        kernel_initializer=keras.initializers.HeNormal(),
    )(block_input)
    x = layers.BatchNormalization()(x)
    return ops.relu(x)


def DilatedSpatialPyramidPooling(dspp_input):
    dims = dspp_input.shape
    x = layers.AveragePooling2D(pool_size=(dims[-3], dims[-2]))(dspp_input)
    x = convolution_block(x, kernel_size=1, use_bias=True)
    out_pool = layers.UpSampling2D(
        size=(dims[-3] // x.shape[1], dims[-2] // x.shape[2]), interpolation="bilinear",
    )(x)

    out_1 = convolution_block(dspp_input, kernel_size=1, dilation_rate=1)
    out_6 = convolution_block(dspp_input, kernel_size=3, dilation_rate=6)
    out_12 = convolution_block(dspp_input, kernel_size=3, dilation_rate=12)
    out_18 = convolution_block(dspp_input, kernel_size=3, dilation_rate=18)

    x = layers.Concatenate(axis=-1)([out_pool, out_1, out_6, out_12, out_18])
    output = convolution_block(x, kernel_size=1)
    return output


def tiny_backbone(model_input):
    """A stand-in for ResNet50: named stages at strides 4 and 8."""
    x = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu", name="stem_relu")(model_input)
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu", name="conv2_block3_2_relu")(x)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu", name="conv4_block6_2_relu")(x)
    return keras.Model(model_input, x, name="backbone")


def DeeplabV3Plus(image_size, num_classes):
    model_input = keras.Input(shape=(image_size, image_size, 3))
    backbone = tiny_backbone(model_input)
    x = backbone.get_layer("conv4_block6_2_relu").output
    x = DilatedSpatialPyramidPooling(x)

    input_b = backbone.get_layer("conv2_block3_2_relu").output
    input_b = convolution_block(input_b, num_filters=8, kernel_size=1)

    input_a = ops.image.resize(
        x, (input_b.shape[1], input_b.shape[2]), interpolation="bilinear"
    )
    x = layers.Concatenate(axis=-1)([input_a, input_b])
    x = convolution_block(x)
    x = convolution_block(x)
    x = layers.UpSampling2D(
        size=(image_size // x.shape[1], image_size // x.shape[2]), interpolation="bilinear",
    )(x)
    model_output = layers.Conv2D(num_classes, kernel_size=(1, 1), padding="same")(x)
    return keras.Model(inputs=model_input, outputs=model_output)


model = DeeplabV3Plus(image_size=IMAGE_SIZE, num_classes=NUM_CLASSES)
model.summary()

"""
## Training
"""


class LearningRateLogger(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        lr = float(ops.convert_to_numpy(self.model.optimizer.learning_rate))
        print(f"\nepoch {epoch}: learning rate {lr:.6f}")


loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.001),
    loss=loss,
    metrics=["accuracy"],
)

checkpoint_path = os.path.join(DATA_DIR, "deeplab_best.keras")
history = model.fit(
    train_dataset,
    validation_data=val_dataset,
    epochs=1,
    callbacks=[
        keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_loss", save_best_only=True),
        LearningRateLogger(),
    ],
)
print("Training Loss:", history.history["loss"])
print("Validation Loss:", history.history["val_loss"])

best_model = keras.models.load_model(checkpoint_path)

"""
## Inference using colormap overlay
"""
colormap = rng.integers(0, 255, size=(NUM_CLASSES, 3)).astype("uint8")


def infer(model, image_tensor):
    predictions = model.predict(np.expand_dims((image_tensor), axis=0))
    predictions = np.squeeze(predictions)
    predictions = np.argmax(predictions, axis=2)
    return predictions


def decode_segmentation_masks(mask, colormap, n_classes):
    r = np.zeros_like(mask).astype(np.uint8)
    g = np.zeros_like(mask).astype(np.uint8)
    b = np.zeros_like(mask).astype(np.uint8)
    for l in range(0, n_classes):
        idx = mask == l
        r[idx] = colormap[l, 0]
        g[idx] = colormap[l, 1]
        b[idx] = colormap[l, 2]
    rgb = np.stack([r, g, b], axis=2)
    return rgb


def get_overlay(image, colored_mask):
    image = tf.cast((image + 1) * 127.5, tf.uint8).numpy()
    overlay = (0.35 * image + 0.65 * colored_mask).astype(np.uint8)
    return overlay


for image_file in val_images[:2]:
    image_tensor = read_image(image_file)
    prediction_mask = infer(image_tensor=image_tensor, model=best_model)
    prediction_colormap = decode_segmentation_masks(prediction_mask, colormap, NUM_CLASSES)
    overlay = get_overlay(image_tensor, prediction_colormap)
    print(image_file[-8:], "mask", prediction_mask.shape, "overlay", overlay.shape, overlay.dtype)
