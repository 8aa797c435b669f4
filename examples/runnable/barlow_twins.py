"""Barlow Twins self-supervised pretraining (after the keras.io "Barlow Twins for Contrastive SSL"
example, Keras 2 version), on synthetic images.

Augmentations with tf.image / tf.random in tf.data, a BarlowLoss keras.losses.Loss subclass
(cross-correlation matrix with tf.transpose / @, tf.linalg.diag_part, tf.linalg.set_diag,
tf.math.reduce_std), a warmup + cosine LearningRateSchedule subclass, a BarlowModel whose
train_step calls self.loss(z_a, z_b) from compile(loss=), then a linear evaluation on the
frozen backbone.
"""
import math

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

BATCH_SIZE = 16
IMAGE_SIZE = 16
PROJECTOR_DIMS = 32
EPOCHS = 2

train_features = np.random.randint(0, 256, size=(64, IMAGE_SIZE, IMAGE_SIZE, 3)).astype("uint8")
train_labels = np.random.randint(0, 10, size=(64, 1))


class Augmentation(keras.layers.Layer):
    """Base augmentation class: random_execute decides whether an augmentation is applied."""

    def __init__(self):
        super(Augmentation, self).__init__()

    @tf.function
    def random_execute(self, prob: float) -> bool:
        return tf.random.uniform([], minval=0, maxval=1) < prob


class RandomResizedCrop(Augmentation):
    def __init__(self, image_size):
        super(Augmentation, self).__init__()
        self.image_size = image_size

    def call(self, x: tf.Tensor) -> tf.Tensor:
        rand_size = tf.random.uniform(shape=[], minval=int(0.75 * self.image_size), maxval=1 * self.image_size,
                                      dtype=tf.int32)
        crop = tf.image.random_crop(x, (rand_size, rand_size, 3))
        crop_resize = tf.image.resize(crop, (self.image_size, self.image_size))
        return crop_resize


class RandomFlip(Augmentation):
    def call(self, x: tf.Tensor) -> tf.Tensor:
        x = tf.cond(self.random_execute(0.5), lambda: tf.image.random_flip_left_right(x), lambda: x)
        return x


class RandomColorJitter(Augmentation):
    def call(self, x: tf.Tensor) -> tf.Tensor:
        x = tf.cond(
            self.random_execute(0.8),
            lambda: tf.image.random_brightness(tf.image.random_contrast(x, 0.6, 1.4), 0.8),
            lambda: x,
        )
        return x


class RandomToGrayscale(Augmentation):
    def call(self, x: tf.Tensor) -> tf.Tensor:
        x = tf.cond(
            self.random_execute(0.2),
            lambda: tf.tile(tf.image.rgb_to_grayscale(x), [1, 1, 3]),
            lambda: x,
        )
        return x


class RandomAugmentor(keras.Model):
    def __init__(self, image_size: int):
        super(RandomAugmentor, self).__init__()
        self.image_size = image_size
        self.random_resized_crop = RandomResizedCrop(image_size)
        self.random_flip = RandomFlip()
        self.random_color_jitter = RandomColorJitter()
        self.random_to_grayscale = RandomToGrayscale()

    def call(self, x: tf.Tensor) -> tf.Tensor:
        x = self.random_resized_crop(x)
        x = self.random_flip(x)
        x = self.random_color_jitter(x)
        x = self.random_to_grayscale(x)
        x = tf.clip_by_value(x, 0, 1)
        return x


bt_augmentor = RandomAugmentor(IMAGE_SIZE)


class BTDatasetCreator:
    """Two augmented versions of each image, zipped together."""

    def __init__(self, augmentor: RandomAugmentor, seed: int = 1024):
        self.options = tf.data.Options()
        self.options.threading.max_intra_op_parallelism = 1
        self.seed = seed
        self.augmentor = augmentor

    def augmented_version(self, ds: list) -> tf.data.Dataset:
        return (
            tf.data.Dataset.from_tensor_slices(ds)
            .shuffle(64, seed=self.seed)
            .map(self.augmentor, num_parallel_calls=tf.data.AUTOTUNE)
            .batch(BATCH_SIZE, drop_remainder=True)
            .prefetch(tf.data.AUTOTUNE)
            .with_options(self.options)
        )

    def __call__(self, ds: list) -> tf.data.Dataset:
        a1 = self.augmented_version(ds)
        a2 = self.augmented_version(ds)
        return tf.data.Dataset.zip((a1, a2)).with_options(self.options)


augment_versions = BTDatasetCreator(bt_augmentor)(train_features / 255.0)


class BarlowLoss(keras.losses.Loss):
    """Barlow twins loss: the cross-correlation matrix of the two embeddings should be the identity."""

    def __init__(self, batch_size: int):
        super(BarlowLoss, self).__init__()
        self.lambda_amt = 5e-3
        self.batch_size = batch_size

    def get_off_diag(self, c: tf.Tensor) -> tf.Tensor:
        zero_diag = tf.zeros(c.shape[-1])
        return tf.linalg.set_diag(c, zero_diag)

    def cross_corr_matrix_loss(self, c: tf.Tensor) -> tf.Tensor:
        # subtracts diagonals by one and squares them(first part)
        c_diff = tf.pow(tf.linalg.diag_part(c) - 1, 2)
        # takes off diagonal, squares it, multiplies with lambda(second part)
        off_diag = tf.pow(self.get_off_diag(c), 2) * self.lambda_amt
        # sum first and second parts together
        loss = tf.reduce_sum(c_diff) + tf.reduce_sum(off_diag)
        return loss

    def normalize(self, output: tf.Tensor) -> tf.Tensor:
        return (output - tf.reduce_mean(output, axis=0)) / tf.math.reduce_std(output, axis=0)

    def cross_corr_matrix(self, z_a_norm: tf.Tensor, z_b_norm: tf.Tensor) -> tf.Tensor:
        return (tf.transpose(z_a_norm) @ z_b_norm) / self.batch_size

    def call(self, z_a: tf.Tensor, z_b: tf.Tensor) -> tf.Tensor:
        z_a_norm, z_b_norm = self.normalize(z_a), self.normalize(z_b)
        c = self.cross_corr_matrix(z_a_norm, z_b_norm)
        loss = self.cross_corr_matrix_loss(c)
        return loss


def build_twin() -> keras.Model:
    inputs = keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE, 3))
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling2D(name="backbone_pool")(x)
    x = layers.Dense(PROJECTOR_DIMS, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    outputs = layers.Dense(PROJECTOR_DIMS, use_bias=False)(x)
    return keras.Model(inputs, outputs, name="twin")


class BarlowModel(keras.Model):
    def __init__(self):
        super(BarlowModel, self).__init__()
        self.model = build_twin()
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def train_step(self, batch: tf.Tensor) -> tf.Tensor:
        # get the two augmentations from the batch
        y_a, y_b = batch

        with tf.GradientTape() as tape:
            # get two versions of predictions
            z_a, z_b = self.model(y_a, training=True), self.model(y_b, training=True)
            loss = self.loss(z_a, z_b)

        grads_model = tape.gradient(loss, self.model.trainable_variables)

        self.optimizer.apply_gradients(zip(grads_model, self.model.trainable_variables))
        self.loss_tracker.update_state(loss)

        return {"loss": self.loss_tracker.result()}


class WarmUpCosineDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warmup, then cosine decay to zero (tf.math.cos, tf.cast, tf.where)."""

    def __init__(self, base_learning_rate, total_steps, warmup_steps):
        super(WarmUpCosineDecay, self).__init__()
        self.base_learning_rate = base_learning_rate
        self.total_steps = total_steps
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        warmup = self.base_learning_rate * step / self.warmup_steps
        progress = (step - self.warmup_steps) / float(self.total_steps - self.warmup_steps)
        cosine = 0.5 * self.base_learning_rate * (1.0 + tf.math.cos(math.pi * tf.minimum(progress, 1.0)))
        return tf.where(step < self.warmup_steps, warmup, cosine)

    def get_config(self):
        return {
            "base_learning_rate": self.base_learning_rate,
            "total_steps": self.total_steps,
            "warmup_steps": self.warmup_steps,
        }


steps = EPOCHS * (len(train_features) // BATCH_SIZE)
lr_schedule = WarmUpCosineDecay(base_learning_rate=1e-3, total_steps=steps, warmup_steps=2)
optimizer = keras.optimizers.Adam(learning_rate=lr_schedule)
loss = BarlowLoss(BATCH_SIZE)

bm = BarlowModel()
bm.compile(optimizer=optimizer, loss=loss)
history = bm.fit(augment_versions, epochs=EPOCHS, verbose=0)
print("barlow loss", history.history["loss"][-1])

# Linear evaluation on the frozen backbone
xy_ds = (
    tf.data.Dataset.from_tensor_slices((train_features, train_labels))
    .shuffle(64)
    .map(lambda x, y: (tf.image.convert_image_dtype(x, tf.float32), y))
    .batch(BATCH_SIZE, drop_remainder=True)
)

backbone = keras.Model(bm.model.input, bm.model.get_layer("backbone_pool").output)
backbone.trainable = False
inputs = layers.Input((IMAGE_SIZE, IMAGE_SIZE, 3))
x = backbone(inputs, training=False)
x = layers.Dense(10, activation="softmax")(x)
test_model = keras.Model(inputs, x)
test_model.compile(
    optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
history = test_model.fit(xy_ds, epochs=2, verbose=0)
print("done", history.history["accuracy"][-1])
