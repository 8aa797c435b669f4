"""A small graph network in tf.keras: node features averaged over their neighbours with segment ops.

Synthetic graph (random edges), a few seconds on CPU. The message-passing layer has no build() of
its own and sizes its segment sums with the largest target index seen in the edges it is given.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(7)
NUM_NODES, NUM_EDGES, FEATURES, CLASSES = 40, 160, 12, 3
node_features = rng.normal(size=(NUM_NODES, FEATURES)).astype("float32")
# Every node receives at least one edge, so the largest target index is NUM_NODES - 1.
targets = np.concatenate([np.arange(NUM_NODES), rng.integers(0, NUM_NODES, NUM_EDGES - NUM_NODES)])
sources = rng.integers(0, NUM_NODES, NUM_EDGES)
edges = np.stack([targets, sources]).astype("int32")
node_labels = rng.integers(0, CLASSES, NUM_NODES)


class NeighbourMean(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.message = layers.Dense(units, activation="relu")
        self.update = layers.Dense(units)

    def call(self, inputs):
        nodes, edge_index = inputs
        messages = self.message(tf.gather(nodes, edge_index[1]))
        count = tf.reduce_max(edge_index[0]) + 1
        summed = tf.math.unsorted_segment_sum(messages, edge_index[0], num_segments=count)
        degree = tf.math.unsorted_segment_sum(tf.ones_like(messages[:, :1]), edge_index[0], num_segments=count)
        return self.update(tf.concat([nodes, summed / tf.maximum(degree, 1.0)], axis=-1))


class NodeClassifier(keras.Model):
    def __init__(self, features, edges, **kwargs):
        super().__init__(**kwargs)
        self.features = tf.constant(features)
        self.edges = tf.constant(edges)
        self.conv = NeighbourMean(16)
        self.head = layers.Dense(CLASSES)

    def call(self, node_ids):
        x = self.conv((self.features, self.edges))
        return self.head(tf.gather(x, node_ids))


model = NodeClassifier(node_features, edges)
model.compile(optimizer=keras.optimizers.Adam(0.01),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
ids = np.arange(NUM_NODES)
model.fit(ids, node_labels, batch_size=16, epochs=2, verbose=0)
print("accuracy:", model.evaluate(ids, node_labels, verbose=0)[1])
