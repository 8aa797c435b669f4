"""Traffic forecasting with a graph convolution followed by an LSTM (LSTMGC).

In the style of the tf.keras-era keras.io example "Traffic forecasting using graph neural networks
and LSTM": speeds of road segments windowed with
keras.utils.timeseries_dataset_from_array (inputs and targets zipped into one dataset),
an adjacency matrix from NumPy distances turned into a GraphInfo of edges, a GraphConv layer
(tf.Variable weights from tf.keras.initializers, tf.gather of neighbour features,
tf.math.unsorted_segment_mean / sum / max aggregation with num_segments, tf.matmul, tf.nn.relu,
tf.concat or tf.add combination) and an LSTMGC layer whose call() transposes and reshapes the
4-D input with tf.transpose / tf.reshape / tf.shape, runs an LSTM sublayer and a Dense head, and
reshapes back. Synthetic sinusoidal speeds stand in for PeMSD7.
"""
import typing

import numpy as np
import tensorflow as tf
import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(5)
rng = np.random.RandomState(5)

num_routes, num_time_steps = 8, 240
t = np.arange(num_time_steps)[:, None]
speeds_array = (60 + 10 * np.sin(2 * np.pi * t / 48 + rng.uniform(0, 1, size=(1, num_routes)))
                + rng.normal(scale=1.0, size=(num_time_steps, num_routes))).astype("float32")
route_distances = rng.uniform(0.5, 5.0, size=(num_routes, num_routes)).astype("float32")
route_distances = (route_distances + route_distances.T) / 2
np.fill_diagonal(route_distances, 0.0)

train_size, val_size = 0.6, 0.2


def preprocess(data_array: np.ndarray, train_size: float, val_size: float):
    num_time_steps = data_array.shape[0]
    num_train, num_val = int(num_time_steps * train_size), int(num_time_steps * val_size)
    train_array = data_array[:num_train]
    mean, std = train_array.mean(axis=0), train_array.std(axis=0)
    train_array = (train_array - mean) / std
    val_array = (data_array[num_train : (num_train + num_val)] - mean) / std
    test_array = (data_array[(num_train + num_val) :] - mean) / std
    return train_array, val_array, test_array


train_array, val_array, test_array = preprocess(speeds_array, train_size, val_size)

batch_size = 16
input_sequence_length = 6
forecast_horizon = 3
multi_horizon = False


def create_tf_dataset(
    data_array: np.ndarray,
    input_sequence_length: int,
    forecast_horizon: int,
    batch_size: int = 128,
    shuffle=True,
    multi_horizon=True,
):
    inputs = keras.utils.timeseries_dataset_from_array(
        np.expand_dims(data_array[:-forecast_horizon], axis=-1),
        None,
        sequence_length=input_sequence_length,
        shuffle=False,
        batch_size=batch_size,
    )
    target_offset = input_sequence_length if multi_horizon else input_sequence_length + forecast_horizon - 1
    target_seq_length = forecast_horizon if multi_horizon else 1
    targets = keras.utils.timeseries_dataset_from_array(
        data_array[target_offset:],
        None,
        sequence_length=target_seq_length,
        shuffle=False,
        batch_size=batch_size,
    )
    dataset = tf.data.Dataset.zip((inputs, targets))
    if shuffle:
        dataset = dataset.shuffle(100)
    return dataset.prefetch(16).cache()


train_dataset, val_dataset = (
    create_tf_dataset(data_array, input_sequence_length, forecast_horizon, batch_size)
    for data_array in [train_array, val_array]
)
test_dataset = create_tf_dataset(
    test_array, input_sequence_length, forecast_horizon, batch_size=test_array.shape[0], shuffle=False, multi_horizon=multi_horizon
)


def compute_adjacency_matrix(route_distances: np.ndarray, sigma2: float, epsilon: float):
    num_routes = route_distances.shape[0]
    route_distances = route_distances / 10.0
    w2, w_mask = route_distances * route_distances, np.ones([num_routes, num_routes]) - np.identity(num_routes)
    return (np.exp(-w2 / sigma2) >= epsilon) * w_mask


class GraphInfo:
    def __init__(self, edges: typing.Tuple[list, list], num_nodes: int):
        self.edges = edges
        self.num_nodes = num_nodes


adjacency_matrix = compute_adjacency_matrix(route_distances, sigma2=0.1, epsilon=0.5)
node_indices, neighbor_indices = np.where(adjacency_matrix == 1)
graph = GraphInfo(edges=(node_indices.tolist(), neighbor_indices.tolist()), num_nodes=adjacency_matrix.shape[0])


class GraphConv(layers.Layer):
    def __init__(self, in_feat, out_feat, graph_info: GraphInfo, aggregation_type="mean",
                 combination_type="concat", activation: typing.Optional[str] = None, **kwargs):
        super().__init__(**kwargs)
        self.in_feat = in_feat
        self.out_feat = out_feat
        self.graph_info = graph_info
        self.aggregation_type = aggregation_type
        self.combination_type = combination_type
        self.weight = self.add_weight(
            shape=(in_feat, out_feat), initializer=keras.initializers.GlorotUniform(), trainable=True, dtype="float32"
        )
        self.activation = layers.Activation(activation)

    def aggregate(self, neighbour_representations):
        segment_ids = ops.convert_to_tensor(self.graph_info.edges[0])  # keras.ops takes no Python list here
        num_segments = self.graph_info.num_nodes
        if self.aggregation_type == "sum":
            return ops.segment_sum(neighbour_representations, segment_ids, num_segments=num_segments)
        if self.aggregation_type == "mean":
            # keras.ops has no segment mean: the sum over the size of each segment.
            summed = ops.segment_sum(neighbour_representations, segment_ids, num_segments=num_segments)
            counts = ops.segment_sum(ops.ones_like(neighbour_representations), segment_ids, num_segments=num_segments)
            return summed / ops.maximum(counts, 1)
        if self.aggregation_type == "max":
            return ops.segment_max(neighbour_representations, segment_ids, num_segments=num_segments)
        raise ValueError(f"Invalid aggregation type: {self.aggregation_type}")

    def compute_nodes_representation(self, features):
        return ops.matmul(features, self.weight)

    def compute_aggregated_messages(self, features):
        neighbour_representations = ops.take(features, self.graph_info.edges[1], axis=0)
        aggregated_messages = self.aggregate(neighbour_representations)
        return ops.matmul(aggregated_messages, self.weight)

    def update(self, nodes_representation, aggregated_messages):
        if self.combination_type == "concat":
            h = ops.concatenate([nodes_representation, aggregated_messages], axis=-1)
        elif self.combination_type == "add":
            h = nodes_representation + aggregated_messages
        else:
            raise ValueError(f"Invalid combination type: {self.combination_type}.")
        return self.activation(h)

    def call(self, features):
        """features: (num_nodes, batch_size, input_seq_len, in_feat)"""
        nodes_representation = self.compute_nodes_representation(features)
        aggregated_messages = self.compute_aggregated_messages(features)
        return self.update(nodes_representation, aggregated_messages)


class LSTMGC(layers.Layer):
    def __init__(self, in_feat, out_feat, lstm_units: int, input_seq_len: int, output_seq_len: int,
                 graph_info: GraphInfo, graph_conv_params: typing.Optional[dict] = None, **kwargs):
        super().__init__(**kwargs)
        if graph_conv_params is None:
            graph_conv_params = {
                "aggregation_type": "mean",
                "combination_type": "concat",
                "activation": None,
            }
        self.graph_conv = GraphConv(in_feat, out_feat, graph_info, **graph_conv_params)
        self.lstm = layers.LSTM(lstm_units, activation="relu")
        self.dense = layers.Dense(output_seq_len)
        self.input_seq_len, self.output_seq_len = input_seq_len, output_seq_len

    def call(self, inputs):
        """inputs: (batch_size, input_seq_len, num_nodes, in_feat)"""
        inputs = ops.transpose(inputs, [2, 0, 1, 3])
        gcn_out = self.graph_conv(inputs)  # (num_nodes, batch_size, input_seq_len, out_feat)
        shape = ops.shape(gcn_out)
        num_nodes, batch_size, input_seq_len, out_feat = shape[0], shape[1], shape[2], shape[3]
        gcn_out = ops.reshape(gcn_out, (batch_size * num_nodes, input_seq_len, out_feat))
        lstm_out = self.lstm(gcn_out)
        dense_output = self.dense(lstm_out)
        output = ops.reshape(dense_output, (num_nodes, batch_size, self.output_seq_len))
        return ops.transpose(output, [1, 2, 0])  # (batch_size, output_seq_len, num_nodes)


in_feat = 1
out_feat = 4
lstm_units = 16
graph_conv_params = {"aggregation_type": "mean", "combination_type": "concat", "activation": None}

st_gcn = LSTMGC(in_feat, out_feat, lstm_units, input_sequence_length, forecast_horizon, graph, graph_conv_params)
inputs = layers.Input((input_sequence_length, graph.num_nodes, in_feat))
outputs = st_gcn(inputs)

model = keras.models.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.002), loss=keras.losses.MeanSquaredError())
history = model.fit(
    train_dataset,
    validation_data=val_dataset,
    epochs=3,
    callbacks=[keras.callbacks.EarlyStopping(patience=10)],
    verbose=0,
)
assert np.isfinite(history.history["loss"][-1]), history.history

x_test, y = next(test_dataset.as_numpy_iterator())
y_pred = model.predict(x_test, verbose=0)
naive_mse = np.square(x_test[:, -1, :, 0] - y[:, 0, :]).mean()
model_mse = np.square(y_pred[:, 0, :] - y[:, 0, :]).mean()
print(f"naive MAE: {naive_mse:.4f}, model MSE: {model_mse:.4f}")
