"""Graph attention network (GAT) for node classification, with custom train/test/predict steps.

In the style of the tf.keras-era keras.io example "Graph attention network (GAT) for node
classification": a GraphAttention layer with add_weight kernels in build(input_shape), attention
scores over edges with tf.gather / tf.reshape(tf.shape(...)) / tf.nn.leaky_relu /
tf.clip_by_value, a per-node softmax made of tf.math.unsorted_segment_sum, tf.repeat and
tf.math.bincount; multi-head attention merged with tf.concat or tf.reduce_mean(tf.stack); a
keras.Model holding the graph whose train_step uses tf.GradientTape, self.compiled_loss on the
gathered outputs, the optimizer of the script's global scope and self.compiled_metrics.
"""
import numpy as np
import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(3)
rng = np.random.RandomState(3)

num_nodes, num_features, num_classes = 50, 8, 3
node_labels = rng.randint(0, num_classes, size=num_nodes)
node_features = (np.eye(num_classes)[node_labels] @ rng.normal(size=(num_classes, num_features))
                 + 0.7 * rng.normal(size=(num_nodes, num_features))).astype("float32")
pairs = []
for node in range(num_nodes):
    pairs.append((node, node))  # self loops: every node attends to itself
    for neighbour in rng.choice(np.flatnonzero(node_labels == node_labels[node]), size=2):
        pairs.append((node, neighbour))
# Sorted by target node, as in the example (tf.repeat relies on it).
edges = np.array(sorted(pairs))

node_states = ops.convert_to_tensor(node_features)
edges = ops.convert_to_tensor(edges)
print("Edges shape:\t\t", edges.shape)
print("Node features shape:", node_states.shape)


class GraphAttention(layers.Layer):
    def __init__(self, units, kernel_initializer="glorot_uniform", kernel_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[0][-1], self.units),
            trainable=True,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            name="kernel",
        )
        self.kernel_attention = self.add_weight(
            shape=(self.units * 2, 1),
            trainable=True,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            name="kernel_attention",
        )
        self.built = True

    def call(self, inputs):
        node_states, edges = inputs

        # Linearly transform node states
        node_states_transformed = ops.matmul(node_states, self.kernel)

        # (1) Compute pair-wise attention scores
        node_states_expanded = ops.take(node_states_transformed, edges, axis=0)
        node_states_expanded = ops.reshape(node_states_expanded, (ops.shape(edges)[0], -1))
        attention_scores = ops.leaky_relu(ops.matmul(node_states_expanded, self.kernel_attention))
        attention_scores = ops.squeeze(attention_scores, -1)

        # (2) Normalize attention scores
        attention_scores = ops.exp(ops.clip(attention_scores, -2, 2))
        # A static number of segments (every node has a self loop), as JAX traces shapes.
        attention_scores_sum = ops.segment_sum(
            attention_scores,
            edges[:, 0],
            num_segments=ops.shape(node_states)[0],
        )
        # Each edge's own target sum (tf.repeat by counts has a data-dependent shape on JAX).
        attention_scores_sum = ops.take(attention_scores_sum, edges[:, 0], axis=0)
        attention_scores_norm = attention_scores / attention_scores_sum

        # (3) Gather node states of neighbors, apply attention scores and aggregate
        node_states_neighbors = ops.take(node_states_transformed, edges[:, 1], axis=0)
        out = ops.segment_sum(
            node_states_neighbors * attention_scores_norm[:, None],
            edges[:, 0],
            num_segments=ops.shape(node_states)[0],
        )
        return out


class MultiHeadGraphAttention(layers.Layer):
    def __init__(self, units, num_heads=8, merge_type="concat", **kwargs):
        super().__init__(**kwargs)
        self.num_heads = num_heads
        self.merge_type = merge_type
        self.attention_layers = [GraphAttention(units) for _ in range(num_heads)]

    def call(self, inputs):
        atom_features, pair_indices = inputs

        # Obtain outputs from each attention head
        outputs = [attention_layer([atom_features, pair_indices]) for attention_layer in self.attention_layers]
        # Concatenate or average the node states from each head
        if self.merge_type == "concat":
            outputs = ops.concatenate(outputs, axis=-1)
        else:
            outputs = ops.mean(ops.stack(outputs, axis=-1), axis=-1)
        # Activate and return node states
        return ops.relu(outputs)


class GraphAttentionNetwork(keras.Model):
    def __init__(self, node_states, edges, hidden_units, num_heads, num_layers, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.node_states = node_states
        self.edges = edges
        self.preprocess = layers.Dense(hidden_units * num_heads, activation="relu")
        self.attention_layers = [MultiHeadGraphAttention(hidden_units, num_heads) for _ in range(num_layers)]
        self.output_layer = layers.Dense(output_dim)

    # Keras 3: fit() calls the model on the batch of node indices, so call() runs the whole graph and
    # gathers the rows asked for; the default train_step/test_step then do what the custom ones did.
    def call(self, indices):
        x = self.preprocess(self.node_states)
        for attention_layer in self.attention_layers:
            x = attention_layer([x, self.edges]) + x
        outputs = self.output_layer(x)
        return ops.take(outputs, indices, axis=0)

    # No predict_step override: its signature differs per backend (JAX passes the state too);
    # predict() gives logits and the softmax is applied to them below.


HIDDEN_UNITS = 8
NUM_HEADS = 2
NUM_LAYERS = 2
OUTPUT_DIM = num_classes
NUM_EPOCHS = 4
BATCH_SIZE = 16
LEARNING_RATE = 3e-2

train_indices = np.arange(0, 35)
test_indices = np.arange(35, num_nodes)
train_labels = node_labels[train_indices]
test_labels = node_labels[test_indices]

loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.SGD(LEARNING_RATE, momentum=0.9)
accuracy_fn = keras.metrics.SparseCategoricalAccuracy(name="acc")
early_stopping = keras.callbacks.EarlyStopping(monitor="val_acc", min_delta=1e-5, patience=5, restore_best_weights=True)

gat_model = GraphAttentionNetwork(node_states, edges, HIDDEN_UNITS, NUM_HEADS, NUM_LAYERS, OUTPUT_DIM)
gat_model.compile(loss=loss_fn, optimizer=optimizer, metrics=[accuracy_fn])
gat_model.fit(
    x=train_indices,
    y=train_labels,
    validation_split=0.2,
    batch_size=BATCH_SIZE,
    epochs=NUM_EPOCHS,
    callbacks=[early_stopping],
    verbose=0,
)

_, test_accuracy = gat_model.evaluate(x=test_indices, y=test_labels, verbose=0)
print("--" * 38 + f"\nTest Accuracy {test_accuracy*100:.1f}%")

test_probs = ops.convert_to_numpy(ops.softmax(gat_model.predict(x=test_indices, verbose=0)))
assert test_probs.shape == (len(test_indices), num_classes)
np.testing.assert_allclose(test_probs.sum(axis=1), 1.0, rtol=1e-5)
print("predicted:", test_probs.argmax(axis=1)[:10])
