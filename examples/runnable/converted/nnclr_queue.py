"""NNCLR self-supervised learning (after the keras.io NNCLR example).

Hand conversion to multi-backend Keras 3: tf.data stays the input pipeline. RandomResizedCrop used
tf.image.crop_and_resize (no keras.ops counterpart); it becomes keras's RandomZoom + RandomTranslation
(what the keras.io Keras 3 contrastive examples use). RandomBrightness draws with keras.random.uniform
and a SeedGenerator. The feature queue is a non-trainable keras.Variable; nearest neighbours use
ops.matmul / ops.argmax / ops.take. The two GradientTape blocks and two Adam optimizers become call()
plus compute_loss() with one Adam: Adam keeps per-variable state, and the probe loss reaches only the
linear probe (ops.stop_gradient on its features) while the contrastive loss never reaches the probe, so
the updates are the same. The queue is assigned in compute_loss() (Keras carries the update out of the
stateless JAX step); metrics are updated there as well."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

keras.utils.set_random_seed(7)
np.random.seed(7)

AUTOTUNE = tf.data.AUTOTUNE
shuffle_buffer = 64
labelled_train_images = 32
unlabelled_images = 32
temperature = 0.1
queue_size = 64
contrastive_augmenter = {"brightness": 0.5, "name": "contrastive_augmenter", "scale": (0.2, 1.0)}
classification_augmenter = {"brightness": 0.2, "name": "classification_augmenter", "scale": (0.5, 1.0)}
input_shape = (16, 16, 3)
width = 16
num_epochs = 1
steps_per_epoch = 2

# Synthetic stand-in for STL-10 (unlabelled + labelled splits).
x_unlabelled = np.random.randint(0, 255, size=(unlabelled_images,) + input_shape).astype("uint8")
x_labelled = np.random.randint(0, 255, size=(labelled_train_images,) + input_shape).astype("uint8")
y_labelled = np.random.randint(0, 10, size=(labelled_train_images,)).astype("int64")
x_test = np.random.randint(0, 255, size=(16,) + input_shape).astype("uint8")
y_test = np.random.randint(0, 10, size=(16,)).astype("int64")

unlabelled_batch_size = unlabelled_images // steps_per_epoch
labelled_batch_size = labelled_train_images // steps_per_epoch
batch_size = unlabelled_batch_size + labelled_batch_size

unlabelled_train_dataset = (
    tf.data.Dataset.from_tensor_slices((x_unlabelled, tf.zeros(unlabelled_images, dtype=tf.int64)))
    .shuffle(buffer_size=shuffle_buffer)
    .batch(unlabelled_batch_size, drop_remainder=True)
)
labelled_train_dataset = (
    tf.data.Dataset.from_tensor_slices((x_labelled, y_labelled))
    .shuffle(buffer_size=shuffle_buffer)
    .batch(labelled_batch_size, drop_remainder=True)
)
test_dataset = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(batch_size).prefetch(
    buffer_size=AUTOTUNE
)
# Keras's own train_step reads (x, y): x is both image batches, y the labels of the labelled one.
train_dataset = (
    tf.data.Dataset.zip((unlabelled_train_dataset, labelled_train_dataset))
    .map(lambda unlabelled, labelled: ((unlabelled[0], labelled[0]), labelled[1]))
    .prefetch(buffer_size=AUTOTUNE)
)



class RandomBrightness(layers.Layer):
    def __init__(self, brightness, **kwargs):
        super().__init__(**kwargs)
        self.brightness = brightness
        self.seed_generator = keras.random.SeedGenerator(1337)

    def blend(self, images_1, images_2, ratios):
        return ops.clip(ratios * images_1 + (1.0 - ratios) * images_2, 0, 1)

    def random_brightness(self, images):
        # random interpolation/extrapolation between the image and darkness
        return self.blend(
            images,
            0,
            keras.random.uniform(
                (ops.shape(images)[0], 1, 1, 1),
                1 - self.brightness,
                1 + self.brightness,
                seed=self.seed_generator,
            ),
        )

    def call(self, images):
        return self.random_brightness(images)


def augmenter(brightness, name, scale):
    zoom = (-(1 - scale[0]), 0.0)
    return keras.Sequential(
        [
            layers.Input(shape=input_shape),
            layers.Rescaling(1 / 255),
            layers.RandomFlip("horizontal"),
            layers.RandomTranslation(height_factor=(1 - scale[0]) / 2, width_factor=(1 - scale[0]) / 2),
            layers.RandomZoom(height_factor=zoom, width_factor=zoom),
            RandomBrightness(brightness=brightness),
        ],
        name=name,
    )


def encoder():
    return keras.Sequential(
        [
            layers.Input(shape=input_shape),
            layers.Conv2D(width, kernel_size=3, strides=2, activation="relu"),
            layers.Conv2D(width, kernel_size=3, strides=2, activation="relu"),
            layers.Flatten(),
            layers.Dense(width, activation="relu"),
        ],
        name="encoder",
    )


class NNCLR(keras.Model):
    def __init__(self, temperature, queue_size):
        super().__init__()
        self.probe_accuracy = keras.metrics.SparseCategoricalAccuracy(name="p_acc")
        self.correlation_accuracy = keras.metrics.SparseCategoricalAccuracy(name="r_acc")
        self.contrastive_accuracy = keras.metrics.SparseCategoricalAccuracy(name="c_acc")
        self.contrastive_loss_tracker = keras.metrics.Mean(name="c_loss")
        self.probe_loss_tracker = keras.metrics.Mean(name="p_loss")
        self.probe_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        self.contrastive_augmenter = augmenter(**contrastive_augmenter)
        self.classification_augmenter = augmenter(**classification_augmenter)
        self.encoder = encoder()
        self.projection_head = keras.Sequential(
            [
                layers.Input(shape=(width,)),
                layers.Dense(width, activation="relu"),
                layers.Dense(width),
            ],
            name="projection_head",
        )
        self.linear_probe = keras.Sequential(
            [layers.Input(shape=(width,)), layers.Dense(10)], name="linear_probe"
        )
        self.temperature = temperature

        feature_dimensions = self.encoder.output_shape[1]
        self.feature_queue = keras.Variable(
            ops.normalize(keras.random.normal(shape=(queue_size, feature_dimensions)), axis=1),
            trainable=False,
            name="feature_queue",
        )

    def call(self, inputs, training=False):
        if isinstance(inputs, (tuple, list)):
            unlabeled_images, labeled_images = inputs
            images = ops.concatenate((unlabeled_images, labeled_images), axis=0)
            augmented_images_1 = self.contrastive_augmenter(images, training=training)
            augmented_images_2 = self.contrastive_augmenter(images, training=training)
            features_1 = self.encoder(augmented_images_1, training=training)
            features_2 = self.encoder(augmented_images_2, training=training)
            projections_1 = self.projection_head(features_1, training=training)
            projections_2 = self.projection_head(features_2, training=training)
            preprocessed_images = self.classification_augmenter(labeled_images, training=training)
            # The probe trains on frozen features (the original's second tape watched the probe only).
            features = ops.stop_gradient(self.encoder(preprocessed_images, training=training))
            class_logits = self.linear_probe(features, training=training)
            return features_1, features_2, projections_1, projections_2, class_logits
        preprocessed_images = self.classification_augmenter(inputs, training=False)
        features = self.encoder(preprocessed_images, training=False)
        return self.linear_probe(features, training=False)

    def nearest_neighbour(self, projections):
        support_similarities = ops.matmul(projections, ops.transpose(self.feature_queue))
        nn_projections = ops.take(self.feature_queue, ops.argmax(support_similarities, axis=1), axis=0)
        return projections + ops.stop_gradient(nn_projections - projections)

    def update_contrastive_accuracy(self, features_1, features_2):
        features_1 = ops.normalize(features_1, axis=1)
        features_2 = ops.normalize(features_2, axis=1)
        similarities = ops.matmul(features_1, ops.transpose(features_2))

        batch_size = ops.shape(features_1)[0]
        contrastive_labels = ops.arange(batch_size)
        self.contrastive_accuracy.update_state(
            ops.concatenate([contrastive_labels, contrastive_labels], axis=0),
            ops.concatenate([similarities, ops.transpose(similarities)], axis=0),
        )

    def update_correlation_accuracy(self, features_1, features_2):
        features_1 = (features_1 - ops.mean(features_1, axis=0)) / (ops.std(features_1, axis=0) + 1e-6)
        features_2 = (features_2 - ops.mean(features_2, axis=0)) / (ops.std(features_2, axis=0) + 1e-6)

        batch_size = ops.cast(ops.shape(features_1)[0], "float32")
        cross_correlation = ops.matmul(ops.transpose(features_1), features_2) / batch_size

        feature_dim = ops.shape(features_1)[1]
        correlation_labels = ops.arange(feature_dim)
        self.correlation_accuracy.update_state(
            ops.concatenate([correlation_labels, correlation_labels], axis=0),
            ops.concatenate([cross_correlation, ops.transpose(cross_correlation)], axis=0),
        )

    def contrastive_loss(self, projections_1, projections_2, training):
        projections_1 = ops.normalize(projections_1, axis=1)
        projections_2 = ops.normalize(projections_2, axis=1)

        similarities_1_2_1 = (
            ops.matmul(self.nearest_neighbour(projections_1), ops.transpose(projections_2))
            / self.temperature
        )
        similarities_1_2_2 = (
            ops.matmul(projections_2, ops.transpose(self.nearest_neighbour(projections_1)))
            / self.temperature
        )
        similarities_2_1_1 = (
            ops.matmul(self.nearest_neighbour(projections_2), ops.transpose(projections_1))
            / self.temperature
        )
        similarities_2_1_2 = (
            ops.matmul(projections_1, ops.transpose(self.nearest_neighbour(projections_2)))
            / self.temperature
        )

        batch_size = ops.shape(projections_1)[0]
        contrastive_labels = ops.arange(batch_size)
        loss = keras.losses.sparse_categorical_crossentropy(
            ops.concatenate(
                [contrastive_labels, contrastive_labels, contrastive_labels, contrastive_labels],
                axis=0,
            ),
            ops.concatenate(
                [similarities_1_2_1, similarities_1_2_2, similarities_2_1_1, similarities_2_1_2],
                axis=0,
            ),
            from_logits=True,
        )

        if training:
            self.feature_queue.assign(
                ops.concatenate(
                    [ops.stop_gradient(projections_1), self.feature_queue[:-batch_size]], axis=0
                )
            )
        return ops.mean(loss)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        total = 0.0
        if isinstance(y_pred, (tuple, list)):
            features_1, features_2, projections_1, projections_2, class_logits = y_pred
            contrastive_loss = self.contrastive_loss(projections_1, projections_2, training)
            self.contrastive_loss_tracker.update_state(contrastive_loss)
            self.update_contrastive_accuracy(ops.stop_gradient(features_1), ops.stop_gradient(features_2))
            self.update_correlation_accuracy(ops.stop_gradient(features_1), ops.stop_gradient(features_2))
            total = total + contrastive_loss
        else:
            class_logits = y_pred
        probe_loss = self.probe_loss(y, class_logits)
        self.probe_loss_tracker.update_state(probe_loss)
        self.probe_accuracy.update_state(y, class_logits)
        return total + probe_loss


model = NNCLR(temperature=temperature, queue_size=queue_size)
model.compile(optimizer=keras.optimizers.Adam())
queue_before = ops.convert_to_numpy(model.feature_queue).copy()
pretrain_history = model.fit(train_dataset, epochs=num_epochs, validation_data=test_dataset, verbose=2)
assert not np.allclose(queue_before, ops.convert_to_numpy(model.feature_queue)), "the support-set queue was not updated"
print({k: round(float(np.mean(v[-1])), 4) for k, v in pretrain_history.history.items()})
