"""Classification with Neural Decision Forests (in the style of the keras.io example before its
Keras 3 port): a dict of per-feature keras.Input(shape=(), dtype=tf.float32) expanded with
tf.expand_dims and concatenated; NeuralDecisionTree(keras.Model) holding a numpy one-hot feature
mask, a tf.Variable(tf.random_normal_initializer()(...)) of leaf class weights and a sigmoid
Dense routing layer, whose call() uses tf.shape(features)[0], tf.matmul(transpose_b=True),
tf.expand_dims, layers.concatenate, tf.ones/tf.reshape/tf.tile in a breadth-first loop and
keras.activations.softmax; a NeuralDecisionForest(keras.Model) averaging trees with tf.zeros."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

np.random.seed(0)
NUMERIC_FEATURE_NAMES = ["age", "education_num", "capital_gain", "hours_per_week", "fnlwgt", "capital_loss"]
num_classes = 2
rng = np.random.default_rng(0)
n = 512
columns = {name: rng.normal(size=n).astype("float32") for name in NUMERIC_FEATURE_NAMES}
labels = ((columns["age"] + 0.5 * columns["hours_per_week"] - columns["capital_loss"]) > 0).astype("int64")


def get_dataset_from_arrays(start, stop, shuffle=False, batch_size=64):
    features = {name: values[start:stop] for name, values in columns.items()}
    dataset = tf.data.Dataset.from_tensor_slices((features, labels[start:stop]))
    if shuffle:
        dataset = dataset.shuffle(256, seed=0)
    return dataset.batch(batch_size).cache()


def create_model_inputs():
    inputs = {}
    for feature_name in NUMERIC_FEATURE_NAMES:
        inputs[feature_name] = layers.Input(name=feature_name, shape=(), dtype=tf.float32)
    return inputs


def encode_inputs(inputs):
    encoded_features = []
    for feature_name in inputs:
        # Use the numerical features as-is.
        encoded_feature = tf.expand_dims(inputs[feature_name], -1)
        encoded_features.append(encoded_feature)
    encoded_features = layers.concatenate(encoded_features)
    return encoded_features


class NeuralDecisionTree(keras.Model):
    def __init__(self, depth, num_features, used_features_rate, num_classes):
        super(NeuralDecisionTree, self).__init__()
        self.depth = depth
        self.num_leaves = 2 ** depth
        self.num_classes = num_classes

        # Create a mask for the randomly selected features.
        num_used_features = int(num_features * used_features_rate)
        one_hot = np.eye(num_features)
        sampled_feature_indicies = np.random.choice(
            np.arange(num_features), num_used_features, replace=False
        )
        self.used_features_mask = one_hot[sampled_feature_indicies]

        # Initialize the weights of the classes in leaves.
        self.pi = tf.Variable(
            initial_value=tf.random_normal_initializer()(
                shape=[self.num_leaves, self.num_classes]
            ),
            dtype="float32",
            trainable=True,
        )

        # Initialize the stochastic routing layer.
        self.decision_fn = layers.Dense(
            units=self.num_leaves, activation="sigmoid", name="decision"
        )

    def call(self, features):
        batch_size = tf.shape(features)[0]

        # Apply the feature mask to the input features.
        features = tf.matmul(
            features, self.used_features_mask, transpose_b=True
        )  # [batch_size, num_used_features]
        # Compute the routing probabilities.
        decisions = tf.expand_dims(
            self.decision_fn(features), axis=2
        )  # [batch_size, num_leaves, 1]
        # Concatenate the routing probabilities with their complements.
        decisions = layers.concatenate(
            [decisions, 1 - decisions], axis=2
        )  # [batch_size, num_leaves, 2]

        mu = tf.ones([batch_size, 1, 1])

        begin_idx = 1
        end_idx = 2
        # Traverse the tree in breadth-first order.
        for level in range(self.depth):
            mu = tf.reshape(mu, [batch_size, -1, 1])  # [batch_size, 2 ** level, 1]
            mu = tf.tile(mu, (1, 1, 2))  # [batch_size, 2 ** level, 2]
            level_decisions = decisions[
                :, begin_idx:end_idx, :
            ]  # [batch_size, 2 ** level, 2]
            mu = mu * level_decisions  # [batch_size, 2**level, 2]
            begin_idx = end_idx
            end_idx = begin_idx + 2 ** (level + 1)

        mu = tf.reshape(mu, [batch_size, self.num_leaves])  # [batch_size, num_leaves]
        probabilities = keras.activations.softmax(self.pi)  # [num_leaves, num_classes]
        outputs = tf.matmul(mu, probabilities)  # [batch_size, num_classes]
        return outputs


class NeuralDecisionForest(keras.Model):
    def __init__(self, num_trees, depth, num_features, used_features_rate, num_classes):
        super(NeuralDecisionForest, self).__init__()
        self.ensemble = []
        # Initialize the ensemble by adding NeuralDecisionTree instances.
        # Each tree will have its own randomly selected input features to use.
        for _ in range(num_trees):
            self.ensemble.append(
                NeuralDecisionTree(depth, num_features, used_features_rate, num_classes)
            )

    def call(self, inputs):
        # Initialize the outputs: a [batch_size, num_classes] matrix of zeros.
        batch_size = tf.shape(inputs)[0]
        outputs = tf.zeros([batch_size, num_classes])

        # Aggregate the outputs of trees in the ensemble.
        for tree in self.ensemble:
            outputs += tree(inputs)
        # Divide the outputs by the ensemble size to get the average.
        outputs /= len(self.ensemble)
        return outputs


learning_rate = 0.01
batch_size = 64
num_epochs = 2


def run_experiment(model):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    train_dataset = get_dataset_from_arrays(0, 384, shuffle=True, batch_size=batch_size)
    print("Start training the model...")
    model.fit(train_dataset, epochs=num_epochs, verbose=2)
    print("Model training finished")
    test_dataset = get_dataset_from_arrays(384, n, batch_size=batch_size)
    _, accuracy = model.evaluate(test_dataset, verbose=0)
    print(f"Test accuracy: {round(accuracy * 100, 2)}%")


num_trees = 4
depth = 3
used_features_rate = 0.5


def create_tree_model():
    inputs = create_model_inputs()
    features = encode_inputs(inputs)
    features = layers.BatchNormalization()(features)
    num_features = features.shape[1]
    tree = NeuralDecisionTree(depth, num_features, used_features_rate, num_classes)
    outputs = tree(features)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


tree_model = create_tree_model()
run_experiment(tree_model)


def create_forest_model():
    inputs = create_model_inputs()
    features = encode_inputs(inputs)
    features = layers.BatchNormalization()(features)
    num_features = features.shape[1]
    forest_model = NeuralDecisionForest(num_trees, depth, num_features, used_features_rate, num_classes)
    outputs = forest_model(features)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


forest_model = create_forest_model()
run_experiment(forest_model)
