"""RandAugment vs simple augmentation on tiny synthetic CIFAR-like images (in the style of the
tf.keras-era keras.io "RandAugment for Image Classification for Improved Robustness" example,
with the imgaug RandAugment replaced by a numpy one): a numpy augment() applied through
tf.py_function(augment, [x], [tf.float32]) in dataset.map after tf.image.resize, a simple_aug
Sequential of layers.experimental.preprocessing layers (Resizing, RandomFlip, RandomRotation,
RandomZoom) applied in dataset.map, a training-model factory with Rescaling(scale=1/127.5,
offset=-1), initial weights saved with save_weights("initial_weights.h5") and loaded into both
models, a custom callback timing epochs, and evaluation on a corrupted test set made with
tf.image.adjust_brightness / tf.image.adjust_contrast / tf.clip_by_value."""
import time

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.random.set_seed(42)
np.random.seed(42)

"""
## Load the data (synthetic CIFAR-10-like images)
"""
rng = np.random.default_rng(11)
x_train = rng.integers(0, 255, size=(32, 24, 24, 3)).astype("uint8")
y_train = rng.integers(0, 10, size=(32, 1))
x_test = rng.integers(0, 255, size=(16, 24, 24, 3)).astype("uint8")
y_test = rng.integers(0, 10, size=(16, 1))
print(f"Total training examples: {len(x_train)}")
print(f"Total test examples: {len(x_test)}")

AUTO = tf.data.AUTOTUNE
BATCH_SIZE = 8
EPOCHS = 1
IMAGE_SIZE = 16

"""
## A small RandAugment in numpy (imgaug's iaa.RandAugment(n=3, m=7) in the original)
"""


def _identity(img, m):
    return img


def _brightness(img, m):
    return img + m * 8.0


def _contrast(img, m):
    mean = img.mean(axis=(0, 1), keepdims=True)
    return (img - mean) * (1.0 + m / 10.0) + mean


def _flip(img, m):
    return img[:, ::-1]


def _rotate(img, m):
    return np.rot90(img, k=1 + m % 3, axes=(0, 1))


def _solarize(img, m):
    return np.where(img < 256 - m * 16, img, 255.0 - img)


AUGMENT_OPS = [_identity, _brightness, _contrast, _flip, _rotate, _solarize]


def rand_aug(images, n=3, m=7):
    out = []
    for img in images:
        for op in np.random.choice(len(AUGMENT_OPS), size=n):
            img = AUGMENT_OPS[op](img, m)
        out.append(np.clip(img, 0.0, 255.0))
    return np.stack(out).astype("float32")


def augment(images):
    # Input to `augment()` is a TensorFlow tensor which
    # is not supported by `imgaug`. This is why we first
    # convert it to its `numpy` variant.
    images = tf.cast(images, tf.float32)
    return rand_aug(images=images.numpy())


"""
## Create TensorFlow `Dataset` objects
"""
train_ds_rand = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .shuffle(BATCH_SIZE * 100)
    .batch(BATCH_SIZE)
    .map(
        lambda x, y: (tf.image.resize(x, (IMAGE_SIZE, IMAGE_SIZE)), y),
        num_parallel_calls=AUTO,
    )
    .map(
        lambda x, y: (tf.py_function(augment, [x], [tf.float32])[0], y),
        num_parallel_calls=AUTO,
    )
    .prefetch(AUTO)
)

test_ds = (
    tf.data.Dataset.from_tensor_slices((x_test, y_test))
    .batch(BATCH_SIZE)
    .map(
        lambda x, y: (tf.image.resize(x, (IMAGE_SIZE, IMAGE_SIZE)), y),
        num_parallel_calls=AUTO,
    )
    .prefetch(AUTO)
)

simple_aug = tf.keras.Sequential(
    [
        layers.experimental.preprocessing.Resizing(IMAGE_SIZE, IMAGE_SIZE),
        layers.experimental.preprocessing.RandomFlip("horizontal"),
        layers.experimental.preprocessing.RandomRotation(factor=0.02),
        layers.experimental.preprocessing.RandomZoom(
            height_factor=0.2, width_factor=0.2
        ),
    ]
)

# Now, map the augmentation pipeline to our training dataset
train_ds_simple = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .shuffle(BATCH_SIZE * 100)
    .batch(BATCH_SIZE)
    .map(lambda x, y: (simple_aug(x), y), num_parallel_calls=AUTO)
    .prefetch(AUTO)
)

sample_images, _ = next(iter(train_ds_rand))
print("RandAugment batch:", sample_images.shape, sample_images.dtype)
sample_images, _ = next(iter(train_ds_simple))
print("simple_aug batch:", sample_images.shape, sample_images.dtype)

"""
## Define a model building utility function
"""


def get_training_model():
    inputs = layers.Input((IMAGE_SIZE, IMAGE_SIZE, 3))
    x = layers.Rescaling(scale=1.0 / 127.5, offset=-1)(inputs)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)


get_training_model().summary()

initial_model = get_training_model()
initial_model.save_weights("initial_weights.h5")


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.time()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        logs["epoch_time"] = time.time() - self.start
        print(f"\nepoch {epoch + 1} took {logs['epoch_time']:.2f}s")


"""
## Train model with RandAugment
"""
rand_aug_model = get_training_model()
rand_aug_model.load_weights("initial_weights.h5")
rand_aug_model.compile(
    loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"]
)
rand_aug_model.fit(
    train_ds_rand, validation_data=test_ds, epochs=EPOCHS, callbacks=[EpochTimer()]
)
_, test_acc = rand_aug_model.evaluate(test_ds)
print("Test accuracy: {:.2f}%".format(test_acc * 100))

"""
## Train model with `simple_aug`
"""
simple_aug_model = get_training_model()
simple_aug_model.load_weights("initial_weights.h5")
simple_aug_model.compile(
    loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"]
)
simple_aug_model.fit(
    train_ds_simple, validation_data=test_ds, epochs=EPOCHS, callbacks=[EpochTimer()]
)
_, test_acc = simple_aug_model.evaluate(test_ds)
print("Test accuracy: {:.2f}%".format(test_acc * 100))

"""
## Robustness on a corrupted test set (CIFAR-10-C in the original)
"""


def corrupt(x, y):
    x = tf.cast(x, tf.float32)
    x = tf.image.adjust_brightness(x, delta=40.0)
    x = tf.image.adjust_contrast(x, contrast_factor=1.5)
    x = tf.clip_by_value(x, 0.0, 255.0)
    x = tf.image.resize(x, (IMAGE_SIZE, IMAGE_SIZE))
    return x, y


cifar_10_c = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(BATCH_SIZE).map(
    corrupt, num_parallel_calls=AUTO
)

# Evaluate `rand_aug_model`
_, test_acc = rand_aug_model.evaluate(cifar_10_c, verbose=0)
print(
    "Accuracy with RandAugment on CIFAR-10-C (brightness): {:.2f}%".format(
        test_acc * 100
    )
)

# Evaluate `simple_aug_model`
_, test_acc = simple_aug_model.evaluate(cifar_10_c, verbose=0)
print(
    "Accuracy with simple_aug on CIFAR-10-C (brightness): {:.2f}%".format(
        test_acc * 100
    )
)
