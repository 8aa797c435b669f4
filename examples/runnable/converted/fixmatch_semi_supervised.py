"""FixMatch / AdaMatch-like semi-supervised training (after the keras.io AdaMatch example).

Hand conversion to multi-backend Keras 3: the tf.data pipelines stay (tf.data feeds every backend)
and are zipped and mapped to `((x_labelled, x_weak, x_strong), y_labelled)`; the train_step becomes
call() (one pass of the classifier over the three concatenated batches, split back) plus
compute_loss() (super().compute_loss() for the compiled supervised loss, the masked pseudo-label
loss with keras.ops) and compute_metrics() on the labelled logits, so Keras's own train_step and
test_step run it on TensorFlow, JAX and PyTorch. The ramp reads a step counter kept in a
non-trainable variable of the model: inside compute_loss() on JAX, self.optimizer.iterations is not
part of the stateless state (it would read as a constant). The inner model attribute is renamed
from `model` to `classifier`; the classifier is saved as .keras."""
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

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
train_ds = (
    tf.data.Dataset.zip((labelled_ds, unlabelled_ds))
    .map(lambda labelled, unlabelled: ((labelled[0], unlabelled[0], unlabelled[1]), labelled[1]))
    .prefetch(tf.data.AUTOTUNE)
)
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
    def __init__(self, classifier, total_steps, threshold):
        super().__init__()
        self.classifier = classifier
        self.total_steps = total_steps
        self.threshold = threshold
        self.step = keras.Variable(0.0, trainable=False, name="step")
        self.unsup_tracker = keras.metrics.Mean(name="unsupervised_loss")
        self.mask_tracker = keras.metrics.Mean(name="mask_rate")

    def call(self, inputs, training=False):
        if isinstance(inputs, (tuple, list)):
            x_l, x_u_weak, x_u_strong = inputs
            n_labelled = ops.shape(x_l)[0]
            n_unlabelled = ops.shape(x_u_weak)[0]
            combined = ops.concatenate([x_l, x_u_weak, x_u_strong], axis=0)
            logits = self.classifier(combined, training=training)
            return (
                logits[:n_labelled],
                logits[n_labelled : n_labelled + n_unlabelled],
                logits[n_labelled + n_unlabelled :],
            )
        return self.classifier(inputs, training=training)

    def unsupervised_weight(self):
        # Ramp the weight of the unsupervised loss up over training (AdaMatch style).
        return 0.5 - ops.cos(ops.minimum(np.pi, (2 * np.pi * self.step) / self.total_steps)) / 2

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if not isinstance(y_pred, (tuple, list)):
            return super().compute_loss(x, y, y_pred, sample_weight, training=training)
        logits_l, logits_u_weak, logits_u_strong = y_pred
        supervised_loss = super().compute_loss(x, y, logits_l, sample_weight, training=training)

        # Pseudo-labels from the weakly augmented view, kept only when confident.
        probs = ops.softmax(ops.stop_gradient(logits_u_weak), axis=-1)
        pseudo_labels = ops.argmax(probs, axis=-1)
        mask = ops.cast(ops.max(probs, axis=-1) >= self.threshold, "float32")
        per_example = keras.losses.sparse_categorical_crossentropy(
            pseudo_labels, logits_u_strong, from_logits=True
        )
        unsupervised_loss = ops.mean(per_example * mask)
        loss = supervised_loss + self.unsupervised_weight() * unsupervised_loss
        if training:
            self.step.assign(self.step + 1.0)
        self.unsup_tracker.update_state(unsupervised_loss)
        self.mask_tracker.update_state(ops.mean(mask))
        return loss

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if isinstance(y_pred, (tuple, list)):
            y_pred = y_pred[0]
        return super().compute_metrics(x, y, y_pred, sample_weight)


classifier = get_classifier()
fixmatch = FixMatch(classifier, total_steps=total_steps, threshold=confidence_threshold)
fixmatch.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
)
history = fixmatch.fit(train_ds, steps_per_epoch=total_steps // 2, epochs=2, verbose=0)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})
print("steps counted", float(ops.convert_to_numpy(fixmatch.step)))
print("test", fixmatch.evaluate(test_ds, verbose=0, return_dict=True))

tmp_dir = tempfile.mkdtemp()
classifier.save(os.path.join(tmp_dir, "classifier.keras"))
restored = keras.models.load_model(os.path.join(tmp_dir, "classifier.keras"))
preds = ops.convert_to_numpy(ops.argmax(restored.predict(x_labelled[:4], verbose=0), axis=-1))
print("predicted", preds)
