"""Metric learning for image similarity search (in the style of the keras.io example): a
keras.utils.Sequence yields one anchor and one positive per class, an EmbeddingModel built from
functional inputs/outputs overrides train_step (tf.einsum similarities over anchor/positive
embeddings, tf.range labels, self.compiled_loss / self.compiled_metrics), and the embeddings are
L2-normalised with tf.nn.l2_normalize on a KerasTensor."""
import random

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

num_classes = 6
height_width = 16
random.seed(0)
rng = np.random.default_rng(0)
prototypes = rng.uniform(size=(num_classes, height_width, height_width, 3)).astype("float32")
y_train = np.repeat(np.arange(num_classes), 12)
x_train = prototypes[y_train] + 0.1 * rng.normal(size=(len(y_train), height_width, height_width, 3)).astype("float32")
x_test, y_test = x_train[::3], y_train[::3]

class_idx_to_train_idxs = {}
for y_train_idx, y in enumerate(y_train):
    class_idx_to_train_idxs.setdefault(int(y), []).append(y_train_idx)


class AnchorPositivePairs(keras.utils.Sequence):
    def __init__(self, num_batchs):
        self.num_batchs = num_batchs

    def __len__(self):
        return self.num_batchs

    def __getitem__(self, _idx):
        x = np.empty((2, num_classes, height_width, height_width, 3), dtype=np.float32)
        for class_idx in range(num_classes):
            examples_for_class = class_idx_to_train_idxs[class_idx]
            anchor_idx = random.choice(examples_for_class)
            positive_idx = random.choice(examples_for_class)
            while positive_idx == anchor_idx:
                positive_idx = random.choice(examples_for_class)
            x[0, class_idx] = x_train[anchor_idx]
            x[1, class_idx] = x_train[positive_idx]
        return x


class EmbeddingModel(keras.Model):
    def train_step(self, data):
        # Note: Workaround for open issue, to be removed.
        if isinstance(data, tuple):
            data = data[0]
        anchors, positives = data[0], data[1]

        with tf.GradientTape() as tape:
            anchor_embeddings = self(anchors, training=True)
            positive_embeddings = self(positives, training=True)
            similarities = tf.einsum("ae,pe->ap", anchor_embeddings, positive_embeddings)
            temperature = 0.2
            similarities /= temperature
            sparse_labels = tf.range(num_classes)
            loss = self.compiled_loss(sparse_labels, similarities)

        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.compiled_metrics.update_state(sparse_labels, similarities)
        return {m.name: m.result() for m in self.metrics}


inputs = layers.Input(shape=(height_width, height_width, 3))
x = layers.Conv2D(filters=8, kernel_size=3, strides=2, activation="relu")(inputs)
x = layers.Conv2D(filters=16, kernel_size=3, strides=2, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
embeddings = layers.Dense(units=8, activation=None)(x)
embeddings = tf.nn.l2_normalize(embeddings, axis=-1)

model = EmbeddingModel(inputs, embeddings)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(AnchorPositivePairs(num_batchs=5), epochs=3, verbose=0)
print("loss:", [round(float(v), 4) for v in history.history["loss"]])

near_neighbours_per_example = 3
embeddings = model.predict(x_test, verbose=0)
gram_matrix = np.einsum("ae,be->ab", embeddings, embeddings)
near_neighbours = np.argsort(gram_matrix.T)[:, -(near_neighbours_per_example + 1) :]
same_class = (y_test[near_neighbours[:, :-1]] == y_test[:, None]).mean()
print("neighbour precision:", round(float(same_class), 3))
