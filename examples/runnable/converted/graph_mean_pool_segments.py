"""Hand conversion of graph_mean_pool_segments.py to multi-backend Keras 3.

keras.ops throughout; the number of segments is the number of nodes (a Python int on JAX and
PyTorch), not a maximum of the edge indices computed while JAX traces the layer.
"""
import numpy as np
import keras
from keras import layers, ops

rng = np.random.default_rng(7)
NUM_NODES, NUM_EDGES, FEATURES, CLASSES = 40, 160, 12, 3
node_features = rng.normal(size=(NUM_NODES, FEATURES)).astype("float32")
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
        messages = self.message(ops.take(nodes, edge_index[1], axis=0))
        count = ops.shape(nodes)[0]
        summed = ops.segment_sum(messages, edge_index[0], num_segments=count)
        degree = ops.segment_sum(ops.ones_like(messages[:, :1]), edge_index[0], num_segments=count)
        return self.update(ops.concatenate([nodes, summed / ops.maximum(degree, 1.0)], axis=-1))


class NodeClassifier(keras.Model):
    def __init__(self, features, edges, **kwargs):
        super().__init__(**kwargs)
        self.features = ops.convert_to_tensor(features)
        self.edges = ops.convert_to_tensor(edges)
        self.conv = NeighbourMean(16)
        self.head = layers.Dense(CLASSES)

    def call(self, node_ids):
        x = self.conv((self.features, self.edges))
        return self.head(ops.take(x, node_ids, axis=0))


model = NodeClassifier(node_features, edges)
model.compile(optimizer=keras.optimizers.Adam(0.01),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
ids = np.arange(NUM_NODES)
model.fit(ids, node_labels, batch_size=16, epochs=2, verbose=0)
print("accuracy:", model.evaluate(ids, node_labels, verbose=0)[1])
