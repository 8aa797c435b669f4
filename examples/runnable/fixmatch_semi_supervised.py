"""FixMatch / AdaMatch-like semi-supervised training: a custom train_step over a labelled and an
unlabelled tf.data pipeline zipped together, weak/strong augmentation with tf ops, confidence
masked pseudo-labels, self.compiled_loss / self.compiled_metrics and a ramped unsupervised weight
from self.optimizer.iterations (after the keras.io AdaMatch example, tf.keras era)."""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

num_classes = 3
image_size = 16
labelled_batch = 8
unlabelled_ratio = 2
confidence_threshold = 0.34
total_steps = 8

x_labelled = np.random.rand(32, image_size, image_size, 3).astype("float32")
y_labelled = np.random.randint(0, num_classes, size=(32,))
x_unlabelled = np.random.rand(64, image_size, image_size, 3).astype("float32")


def weak_augment(image):
    image = tf.image.random_flip_left_right(image)
    return tf.image.random_brightness(image, max_delta=0.1)


def strong_augment(image):
    image = weak_augment(image)
    image = tf.image.random_contrast(image, lower=0.5, upper=1.5)
    image = image + tf.random.normal(tf.shape(image), stddev=0.1)
    return tf.clip_by_value(image, 0.0, 1.0)


labelled_ds = (
    tf.data.Dataset.from_tensor_slices((x_labelled, y_labelled))
    .shuffle(32)
    .map(lambda x, y: (weak_augment(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    .batch(labelled_batch, drop_remainder=True)
    .repeat()
)
unlabelled_ds = (
    tf.data.Dataset.from_tensor_slices(x_unlabelled)
    .shuffle(64)
    .map(lambda x: (weak_augment(x), strong_augment(x)), num_parallel_calls=tf.data.AUTOTUNE)
    .batch(labelled_batch * unlabelled_ratio, drop_remainder=True)
    .repeat()
)
train_ds = tf.data.Dataset.zip((labelled_ds, unlabelled_ds)).prefetch(tf.data.AUTOTUNE)
test_ds = tf.data.Dataset.from_tensor_slices((x_labelled, y_labelled)).batch(16)


def get_classifier():
    inputs = keras.Input((image_size, image_size, 3))
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes)(x)
    return keras.Model(inputs, outputs, name="classifier")


class FixMatch(keras.Model):
    def __init__(self, model, total_steps, threshold):
        super(FixMatch, self).__init__()
        self.model = model
        self.total_steps = total_steps
        self.threshold = threshold
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.unsup_tracker = keras.metrics.Mean(name="unsupervised_loss")
        self.mask_tracker = keras.metrics.Mean(name="mask_rate")

    @property
    def metrics(self):
        return [self.loss_tracker, self.unsup_tracker, self.mask_tracker] + self.compiled_metrics.metrics

    def call(self, inputs, training=False):
        return self.model(inputs, training=training)

    def unsupervised_weight(self):
        # Ramp the weight of the unsupervised loss up over training (AdaMatch style).
        step = tf.cast(self.optimizer.iterations, tf.float32)
        return 0.5 - tf.cos(tf.minimum(np.pi, (2 * np.pi * step) / self.total_steps)) / 2

    def train_step(self, data):
        (x_l, y_l), (x_u_weak, x_u_strong) = data
        n_labelled = tf.shape(x_l)[0]
        n_unlabelled = tf.shape(x_u_weak)[0]
        combined = tf.concat([x_l, x_u_weak, x_u_strong], axis=0)

        with tf.GradientTape() as tape:
            logits = self.model(combined, training=True)
            logits_l = logits[:n_labelled]
            logits_u_weak = logits[n_labelled : n_labelled + n_unlabelled]
            logits_u_strong = logits[n_labelled + n_unlabelled :]

            supervised_loss = self.compiled_loss(y_l, logits_l)

            # Pseudo-labels from the weakly augmented view, kept only when confident.
            probs = tf.nn.softmax(tf.stop_gradient(logits_u_weak), axis=-1)
            pseudo_labels = tf.argmax(probs, axis=-1)
            mask = tf.cast(tf.reduce_max(probs, axis=-1) >= self.threshold, tf.float32)
            per_example = keras.losses.sparse_categorical_crossentropy(
                pseudo_labels, logits_u_strong, from_logits=True
            )
            unsupervised_loss = tf.reduce_mean(per_example * mask)
            loss = supervised_loss + self.unsupervised_weight() * unsupervised_loss

        gradients = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.model.trainable_variables))

        self.compiled_metrics.update_state(y_l, logits_l)
        self.loss_tracker.update_state(loss)
        self.unsup_tracker.update_state(unsupervised_loss)
        self.mask_tracker.update_state(tf.reduce_mean(mask))
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        logits = self.model(x, training=False)
        loss = self.compiled_loss(y, logits)
        self.compiled_metrics.update_state(y, logits)
        self.loss_tracker.update_state(loss)
        return {m.name: m.result() for m in self.metrics}


classifier = get_classifier()
fixmatch = FixMatch(classifier, total_steps=total_steps, threshold=confidence_threshold)
fixmatch.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
)
history = fixmatch.fit(train_ds, steps_per_epoch=total_steps // 2, epochs=2, verbose=0)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})
print("test", fixmatch.evaluate(test_ds, verbose=0, return_dict=True))

tmp_dir = tempfile.mkdtemp()
classifier.save(os.path.join(tmp_dir, "classifier.h5"))
restored = keras.models.load_model(os.path.join(tmp_dir, "classifier.h5"))
preds = tf.argmax(restored.predict(x_labelled[:4], verbose=0), axis=-1).numpy()
print("predicted", preds)
