"""Hand conversion to multi-backend Keras 3: tuple shapes for Input and add_weight, keras.ops
(matmul, reshape, take, expand_dims, squeeze, segment_sum, pad) in the layers, the ragged
tf.data batching kept as the input pipeline, a `.weights.h5` file for save_weights.

Message passing neural network for molecular property prediction on synthetic random molecules
(in the style of the tf.keras-era keras.io "Message-passing neural network (MPNN) for molecular
property prediction" example): per-molecule atom / bond features and pair indices stored as
tf.RaggedTensor (tf.ragged.constant), batched by a tf.data map that merges the ragged rows
(row_lengths, tf.repeat, tf.cumsum, merge_dims(...).to_tensor()), Inputs declared with bare-int
shapes (layers.Input((atom_dim))), an EdgeNetwork layer whose build() makes weights with an int
shape and whose call() uses tf.matmul, tf.reshape, tf.gather, tf.expand_dims / tf.squeeze and
tf.math.unsorted_segment_sum with num_segments=tf.shape(...)[0], a MessagePassing layer that
tf.pads the atom state and updates it with a GRUCell called directly, a segment-mean readout
with tf.math.unsorted_segment_sum, class_weight, an AUC metric and model.save_weights/load_weights
to a TF checkpoint prefix."""
import os
import tempfile

import numpy as np
import tensorflow as tf  # ragged tf.data input pipeline only
import keras
from keras import layers, ops

np.random.seed(42)
keras.utils.set_random_seed(42)

ATOM_DIM = 8
BOND_DIM = 4
BATCH_SIZE = 16
NUM_MOLECULES = 96


# --- synthetic molecules: random chains with a few rings; label depends on the atom types ---
def random_molecule():
    num_atoms = np.random.randint(4, 12)
    atom_types = np.random.randint(0, ATOM_DIM, size=num_atoms)
    atom_features = np.eye(ATOM_DIM, dtype="float32")[atom_types]
    bonds = [(i, i + 1) for i in range(num_atoms - 1)]
    if num_atoms > 5 and np.random.rand() < 0.5:
        bonds.append((0, num_atoms - 1))
    bond_features, pair_indices = [], []
    for a, b in bonds:
        bond_type = np.eye(BOND_DIM, dtype="float32")[np.random.randint(0, BOND_DIM)]
        # Both directions, as in the example.
        pair_indices.extend([[a, b], [b, a]])
        bond_features.extend([bond_type, bond_type])
    label = float((atom_types < 3).mean() > 0.35)
    return atom_features, np.array(bond_features), np.array(pair_indices), label


def graphs_from_molecules(n):
    atom_features_list, bond_features_list, pair_indices_list, labels = [], [], [], []
    for _ in range(n):
        atom_features, bond_features, pair_indices, label = random_molecule()
        atom_features_list.append(atom_features)
        bond_features_list.append(bond_features)
        pair_indices_list.append(pair_indices)
        labels.append(label)
    return (
        tf.ragged.constant(atom_features_list, dtype=tf.float32),
        tf.ragged.constant(bond_features_list, dtype=tf.float32),
        tf.ragged.constant(pair_indices_list, dtype=tf.int64),
    ), np.array(labels, dtype="float32")


x_train, y_train = graphs_from_molecules(NUM_MOLECULES)
x_valid, y_valid = graphs_from_molecules(BATCH_SIZE * 2)


def prepare_batch(x_batch, y_batch):
    """Merges (sub)graphs of batch into a single global (disconnected) graph"""

    atom_features, bond_features, pair_indices = x_batch

    # Obtain number of atoms and bonds for each graph (molecule)
    num_atoms = atom_features.row_lengths()
    num_bonds = bond_features.row_lengths()

    # Obtain partition indices (molecule_indicator), which will be used to
    # gather (sub)graphs from global graph in model later on
    molecule_indices = tf.range(len(num_atoms))
    molecule_indicator = tf.repeat(molecule_indices, num_atoms)

    # Merge (sub)graphs into a global (disconnected) graph. Adding 'increment' to
    # 'pair_indices' (and merging ragged tensors) actualizes the global graph
    gather_indices = tf.repeat(molecule_indices[:-1], num_bonds[1:])
    increment = tf.cumsum(num_atoms[:-1])
    increment = tf.pad(tf.gather(increment, gather_indices), [(num_bonds[0], 0)])
    pair_indices = pair_indices.merge_dims(outer_axis=0, inner_axis=1).to_tensor()
    pair_indices = pair_indices + increment[:, tf.newaxis]
    atom_features = atom_features.merge_dims(outer_axis=0, inner_axis=1).to_tensor()
    bond_features = bond_features.merge_dims(outer_axis=0, inner_axis=1).to_tensor()

    return (atom_features, bond_features, pair_indices, molecule_indicator), y_batch


def MPNNDataset(X, y, batch_size=32, shuffle=False):
    dataset = tf.data.Dataset.from_tensor_slices((X, (y)))
    if shuffle:
        dataset = dataset.shuffle(1024)
    return dataset.batch(batch_size).map(prepare_batch, -1).prefetch(-1)


class EdgeNetwork(layers.Layer):
    def build(self, input_shape):
        self.atom_dim = input_shape[0][-1]
        self.bond_dim = input_shape[1][-1]
        self.kernel = self.add_weight(
            shape=(self.bond_dim, self.atom_dim * self.atom_dim),
            initializer="glorot_uniform",
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.atom_dim * self.atom_dim,), initializer="zeros", name="bias",
        )
        self.built = True

    def call(self, inputs):
        atom_features, bond_features, pair_indices = inputs

        # Apply linear transformation to bond features
        bond_features = ops.matmul(bond_features, self.kernel) + self.bias

        # Reshape for neighborhood aggregation later
        bond_features = ops.reshape(bond_features, (-1, self.atom_dim, self.atom_dim))

        # Obtain atom features of neighbors
        atom_features_neighbors = ops.take(atom_features, pair_indices[:, 1], axis=0)
        atom_features_neighbors = ops.expand_dims(atom_features_neighbors, axis=-1)

        # Apply neighborhood aggregation
        transformed_features = ops.matmul(bond_features, atom_features_neighbors)
        transformed_features = ops.squeeze(transformed_features, axis=-1)
        aggregated_features = ops.segment_sum(
            transformed_features,
            pair_indices[:, 0],
            num_segments=ops.shape(atom_features)[0],
        )
        return aggregated_features


class MessagePassing(layers.Layer):
    def __init__(self, units, steps=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.steps = steps

    def build(self, input_shape):
        self.atom_dim = input_shape[0][-1]
        self.message_step = EdgeNetwork()
        self.pad_length = max(0, self.units - self.atom_dim)
        self.update_step = layers.GRUCell(self.atom_dim + self.pad_length)
        self.built = True

    def call(self, inputs):
        atom_features, bond_features, pair_indices = inputs

        # Pad atom features if number of desired units exceeds atom_features dim.
        # Alternatively, a dense layer could be used here.
        atom_features_updated = ops.pad(atom_features, [(0, 0), (0, self.pad_length)])

        # Perform a number of steps of message passing
        for i in range(self.steps):
            # Aggregate information from neighbors
            atom_features_aggregated = self.message_step(
                [atom_features_updated, bond_features, pair_indices]
            )

            # Update node state via a step of GRU
            atom_features_updated, _ = self.update_step(
                atom_features_aggregated, atom_features_updated
            )
        return atom_features_updated


class SegmentMeanReadout(layers.Layer):
    """Averages the atom states of each molecule of the batch."""

    def __init__(self, batch_size=32, **kwargs):
        super().__init__(**kwargs)
        self.batch_size = batch_size

    def call(self, inputs):
        atom_features, molecule_indicator = inputs
        summed = ops.segment_sum(atom_features, molecule_indicator, num_segments=self.batch_size)
        counts = ops.segment_sum(
            ops.ones_like(atom_features[:, :1]), molecule_indicator, num_segments=self.batch_size
        )
        return summed / ops.maximum(counts, 1.0)


def MPNNModel(atom_dim, bond_dim, batch_size=32, message_units=16, message_steps=3,
              dense_units=32):
    atom_features = layers.Input((atom_dim,), dtype="float32", name="atom_features")
    bond_features = layers.Input((bond_dim,), dtype="float32", name="bond_features")
    pair_indices = layers.Input((2,), dtype="int32", name="pair_indices")
    molecule_indicator = layers.Input((), dtype="int32", name="molecule_indicator")

    x = MessagePassing(message_units, message_steps)(
        [atom_features, bond_features, pair_indices]
    )
    x = SegmentMeanReadout(batch_size)([x, molecule_indicator])
    x = layers.Dense(dense_units, activation="relu")(x)
    x = layers.Dense(1, activation="sigmoid")(x)

    model = keras.Model(
        inputs=[atom_features, bond_features, pair_indices, molecule_indicator], outputs=[x],
    )
    return model


mpnn = MPNNModel(atom_dim=x_train[0][0][0].shape[0], bond_dim=x_train[1][0][0].shape[0],
                 batch_size=BATCH_SIZE)

mpnn.compile(
    loss=keras.losses.BinaryCrossentropy(),
    optimizer=keras.optimizers.Adam(learning_rate=5e-4),
    metrics=[keras.metrics.AUC(name="AUC")],
)
mpnn.summary()

train_dataset = MPNNDataset(x_train, y_train, batch_size=BATCH_SIZE, shuffle=True)
valid_dataset = MPNNDataset(x_valid, y_valid, batch_size=BATCH_SIZE)

history = mpnn.fit(
    train_dataset,
    validation_data=valid_dataset,
    epochs=1,
    verbose=2,
    class_weight={0: 2.0, 1: 0.5},
)
print("val AUC:", history.history["val_AUC"][-1])

ckpt_prefix = os.path.join(tempfile.mkdtemp(), "mpnn.weights.h5")
mpnn.save_weights(ckpt_prefix)

restored = MPNNModel(atom_dim=ATOM_DIM, bond_dim=BOND_DIM, batch_size=BATCH_SIZE)
restored.load_weights(ckpt_prefix)
batch_inputs, batch_labels = next(iter(valid_dataset))
batch_inputs = [np.asarray(t) for t in batch_inputs]
np.testing.assert_allclose(
    ops.convert_to_numpy(restored(batch_inputs, training=False)),
    ops.convert_to_numpy(mpnn(batch_inputs, training=False)),
    atol=1e-5,
)
y_pred = np.squeeze(mpnn.predict(valid_dataset, verbose=0), axis=1)
print("predicted", y_pred.shape, "labels", y_valid.shape)
print("MPNN done")
