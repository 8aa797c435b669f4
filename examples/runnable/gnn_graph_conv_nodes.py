"""Node classification with a graph neural network (message passing with segment ops).

In the style of the tf.keras-era keras.io example "Node Classification with Graph Neural
Networks": a GraphConvLayer that gathers neighbour representations with tf.gather, weights the
messages, aggregates them per node with tf.math.unsorted_segment_sum / mean / max, and combines
them by concatenation or a GRU; a GNNNodeClassifier keras.Model that keeps the whole graph
(node features, edges, edge weights) as attributes and is trained on node indices. A synthetic
citation graph stands in for Cora.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.random.set_seed(7)
rng = np.random.RandomState(7)

num_nodes, num_features, num_classes = 60, 12, 3
labels = rng.randint(0, num_classes, size=num_nodes)
centroids = rng.normal(size=(num_classes, num_features))
node_features_np = (centroids[labels] + 0.8 * rng.normal(size=(num_nodes, num_features))).astype("float32")
# Papers mostly cite papers of their own subject.
sources, targets = [], []
for paper in range(num_nodes):
    same = np.flatnonzero(labels == labels[paper])
    for cited in rng.choice(same, size=3):
        sources.append(paper)
        targets.append(cited)
    sources.append(paper)
    targets.append(rng.randint(num_nodes))
edges_np = np.array([sources, targets])  # row 0: the node that receives, row 1: its neighbour

hidden_units = [16, 16]
learning_rate = 0.01
dropout_rate = 0.2
num_epochs = 5
batch_size = 16


def create_ffn(hidden_units, dropout_rate, name=None):
    fnn_layers = []
    for units in hidden_units:
        fnn_layers.append(layers.BatchNormalization())
        fnn_layers.append(layers.Dropout(dropout_rate))
        fnn_layers.append(layers.Dense(units, activation=tf.nn.gelu))
    return keras.Sequential(fnn_layers, name=name)


class GraphConvLayer(layers.Layer):
    def __init__(self, hidden_units, dropout_rate=0.2, aggregation_type="mean",
                 combination_type="concat", normalize=False, *args, **kwargs):
        super(GraphConvLayer, self).__init__(*args, **kwargs)
        self.aggregation_type = aggregation_type
        self.combination_type = combination_type
        self.normalize = normalize
        self.ffn_prepare = create_ffn(hidden_units, dropout_rate)
        if self.combination_type == "gru":
            self.update_fn = layers.GRU(
                units=hidden_units[-1],
                activation="tanh",
                recurrent_activation="sigmoid",
                dropout=dropout_rate,
                return_state=True,
                recurrent_dropout=dropout_rate,
            )
        else:
            self.update_fn = create_ffn(hidden_units, dropout_rate)

    def prepare(self, node_repesentations, weights=None):
        messages = self.ffn_prepare(node_repesentations)
        if weights is not None:
            messages = messages * tf.expand_dims(weights, -1)
        return messages

    def aggregate(self, node_indices, neighbour_messages, node_repesentations):
        num_nodes = node_repesentations.shape[0]
        if self.aggregation_type == "sum":
            aggregated_message = tf.math.unsorted_segment_sum(
                neighbour_messages, node_indices, num_segments=num_nodes
            )
        elif self.aggregation_type == "mean":
            aggregated_message = tf.math.unsorted_segment_mean(
                neighbour_messages, node_indices, num_segments=num_nodes
            )
        elif self.aggregation_type == "max":
            aggregated_message = tf.math.unsorted_segment_max(
                neighbour_messages, node_indices, num_segments=num_nodes
            )
        else:
            raise ValueError(f"Invalid aggregation type: {self.aggregation_type}.")
        return aggregated_message

    def update(self, node_repesentations, aggregated_messages):
        if self.combination_type == "gru":
            h = tf.stack([node_repesentations, aggregated_messages], axis=1)
        elif self.combination_type == "concat":
            h = tf.concat([node_repesentations, aggregated_messages], axis=1)
        elif self.combination_type == "add":
            h = node_repesentations + aggregated_messages
        else:
            raise ValueError(f"Invalid combination type: {self.combination_type}.")
        node_embeddings = self.update_fn(h)
        if self.combination_type == "gru":
            node_embeddings = tf.unstack(node_embeddings, axis=1)[-1]
        if self.normalize:
            node_embeddings = tf.nn.l2_normalize(node_embeddings, axis=-1)
        return node_embeddings

    def call(self, inputs):
        node_repesentations, edges, edge_weights = inputs
        node_indices, neighbour_indices = edges[0], edges[1]
        neighbour_repesentations = tf.gather(node_repesentations, neighbour_indices)
        neighbour_messages = self.prepare(neighbour_repesentations, edge_weights)
        aggregated_messages = self.aggregate(node_indices, neighbour_messages, node_repesentations)
        return self.update(node_repesentations, aggregated_messages)


class GNNNodeClassifier(tf.keras.Model):
    def __init__(self, graph_info, num_classes, hidden_units, aggregation_type="sum",
                 combination_type="concat", dropout_rate=0.2, normalize=True, *args, **kwargs):
        super(GNNNodeClassifier, self).__init__(*args, **kwargs)
        node_features, edges, edge_weights = graph_info
        self.node_features = node_features
        self.edges = edges
        self.edge_weights = edge_weights
        if self.edge_weights is None:
            self.edge_weights = tf.ones(shape=edges.shape[1])
        # Scale edge_weights to sum to 1.
        self.edge_weights = self.edge_weights / tf.math.reduce_sum(self.edge_weights)
        self.preprocess = create_ffn(hidden_units, dropout_rate, name="preprocess")
        self.conv1 = GraphConvLayer(hidden_units, dropout_rate, aggregation_type, combination_type,
                                    normalize, name="graph_conv1")
        self.conv2 = GraphConvLayer(hidden_units, dropout_rate, "max", "add", normalize,
                                    name="graph_conv2")
        self.postprocess = create_ffn(hidden_units, dropout_rate, name="postprocess")
        self.compute_logits = layers.Dense(units=num_classes, name="logits")

    def call(self, input_node_indices):
        x = self.preprocess(self.node_features)
        x1 = self.conv1((x, self.edges, self.edge_weights))
        x = x1 + x
        x2 = self.conv2((x, self.edges, self.edge_weights))
        x = x2 + x
        x = self.postprocess(x)
        node_embeddings = tf.squeeze(tf.gather(x, input_node_indices))
        return self.compute_logits(node_embeddings)


edges = edges_np
edge_weights = tf.ones(shape=edges.shape[1])
node_features = tf.cast(node_features_np, dtype=tf.dtypes.float32)
graph_info = (node_features, edges, edge_weights)

gnn_model = GNNNodeClassifier(
    graph_info=graph_info,
    num_classes=num_classes,
    hidden_units=hidden_units,
    aggregation_type="mean",
    dropout_rate=dropout_rate,
    name="gnn_model",
)
print("GNN output shape:", gnn_model([1, 10, 20]).shape)

gnn_model.compile(
    optimizer=keras.optimizers.Adam(learning_rate),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")],
)
train_index = np.arange(0, 45)
test_index = np.arange(45, num_nodes)
early_stopping = keras.callbacks.EarlyStopping(monitor="val_acc", patience=5, restore_best_weights=True)
history = gnn_model.fit(
    x=train_index,
    y=labels[train_index],
    epochs=num_epochs,
    batch_size=batch_size,
    validation_split=0.2,
    callbacks=[early_stopping],
    verbose=0,
)
_, test_accuracy = gnn_model.evaluate(x=test_index, y=labels[test_index], verbose=0)
print(f"Test accuracy: {round(test_accuracy * 100, 2)}%")

# Predict for the test nodes and turn the logits into probabilities.
logits = gnn_model.predict(tf.convert_to_tensor(test_index), verbose=0)
probabilities = keras.activations.softmax(tf.convert_to_tensor(logits)).numpy()
assert probabilities.shape == (len(test_index), num_classes)
print("predicted classes:", np.argmax(probabilities, axis=1)[:10])
