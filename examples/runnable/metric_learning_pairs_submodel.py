"""Metric learning (keras.io style) with the embedding network as a sub-model of a subclassed model: the
train_step runs it on data[0] and data[1] (anchors and positives stacked in one batch), a similarity
matrix over a temperature, tf.range labels, self.compiled_loss and self.compiled_metrics."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

num_classes = 6
rng = np.random.default_rng(0)
prototypes = rng.uniform(size=(num_classes, 16, 16, 3)).astype("float32")
pairs = prototypes[None, None] + 0.1 * rng.normal(size=(5, 2, num_classes, 16, 16, 3)).astype("float32")
pairs_ds = tf.data.Dataset.from_tensor_slices(pairs)


class EmbeddingModel(keras.Model):
    def __init__(self, embedding_network):
        super().__init__()
        self.embedding_network = embedding_network

    def train_step(self, data):
        anchors, positives = data[0], data[1]
        with tf.GradientTape() as tape:
            anchor_embeddings = self.embedding_network(anchors, training=True)
            positive_embeddings = self.embedding_network(positives, training=True)
            similarities = tf.einsum("ae,pe->ap", anchor_embeddings, positive_embeddings)
            temperature = 0.2
            similarities /= temperature
            sparse_labels = tf.range(num_classes)
            loss = self.compiled_loss(sparse_labels, similarities)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.compiled_metrics.update_state(sparse_labels, similarities)
        return {m.name: m.result() for m in self.metrics}


inputs = layers.Input(shape=(16, 16, 3))
x = layers.Conv2D(8, 3, strides=2, activation="relu")(inputs)
x = layers.GlobalAveragePooling2D()(x)
embeddings = layers.UnitNormalization()(layers.Dense(8)(x))
model = EmbeddingModel(keras.Model(inputs, embeddings))
model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
history = model.fit(pairs_ds, epochs=3, verbose=0)
print("loss:", [round(float(v), 4) for v in history.history["loss"]], "accuracy:", [round(float(v), 3) for v in history.history["accuracy"]])
