"""Metric learning for image similarity search (keras.io example), converted by hand to
multi-backend Keras 3: the Sequence becomes a PyDataset yielding ((anchors, positives), labels),
the custom train_step becomes a model whose call() returns the anchor/positive similarities, so
fit()'s own step computes the compiled loss and metrics on every backend."""
import random

import numpy as np
import keras
from keras import layers, ops

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


class AnchorPositivePairs(keras.utils.PyDataset):
    def __init__(self, num_batchs, **kwargs):
        super().__init__(**kwargs)
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
        # The labels of the similarity matrix: anchor i matches positive i.
        return (x[0], x[1]), np.arange(num_classes)


class EmbeddingModel(keras.Model):
    """Trains `embedding_network` on anchor/positive pairs; predict() gives embeddings."""

    def __init__(self, embedding_network, temperature=0.2, **kwargs):
        super().__init__(**kwargs)
        self.embedding_network = embedding_network
        self.temperature = temperature

    def call(self, inputs, training=False):
        if isinstance(inputs, (tuple, list)):
            anchors, positives = inputs
            anchor_embeddings = self.embedding_network(anchors, training=training)
            positive_embeddings = self.embedding_network(positives, training=training)
            similarities = ops.einsum("ae,pe->ap", anchor_embeddings, positive_embeddings)
            return similarities / self.temperature
        return self.embedding_network(inputs, training=training)


inputs = layers.Input(shape=(height_width, height_width, 3))
x = layers.Conv2D(filters=8, kernel_size=3, strides=2, activation="relu")(inputs)
x = layers.Conv2D(filters=16, kernel_size=3, strides=2, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
embeddings = layers.Dense(units=8, activation=None)(x)
embeddings = layers.UnitNormalization(axis=-1)(embeddings)

model = EmbeddingModel(keras.Model(inputs, embeddings))
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
