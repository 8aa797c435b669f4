"""Structured data classification with Gated Residual and Variable Selection Networks.

In the style of the tf.keras-era keras.io example "Classification with Gated Residual and Variable
Selection Networks": a census-like CSV written to disk with the csv module and read with
tf.data.experimental.make_csv_dataset (column_defaults, label_name, num_epochs=1), a mapped
process() that looks categorical columns up with StringLookup, looks the target up, and pops an
instance-weight column so the dataset yields (features, target, weights); per-feature
keras.Input(shape=(), dtype=tf.int64 / tf.float32) in a dict; categorical features embedded,
numeric ones expanded with tf.expand_dims on the KerasTensor and projected by Dense; a
GatedLinearUnit, a GatedResidualNetwork and a VariableSelection layer whose call() uses
layers.concatenate, tf.expand_dims, tf.stack, tf.squeeze(tf.matmul(v, x, transpose_a=True)).
"""
import csv
import os

import numpy as np
import tensorflow as tf
import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(13)
rng = np.random.RandomState(13)

CATEGORICAL_FEATURES_WITH_VOCABULARY = {
    "education": ["bachelors", "masters", "hs-grad", "doctorate"],
    "occupation": ["tech", "sales", "craft", "admin", "service"],
    "marital_status": ["married", "never-married", "divorced"],
}
NUMERIC_FEATURE_NAMES = ["age", "hours_per_week", "capital_gains"]
WEIGHT_COLUMN_NAME = "instance_weight"
TARGET_FEATURE_NAME = "income_level"
TARGET_LABELS = [" - 50000.", " 50000+."]
CSV_HEADER = NUMERIC_FEATURE_NAMES + list(CATEGORICAL_FEATURES_WITH_VOCABULARY) + [WEIGHT_COLUMN_NAME, TARGET_FEATURE_NAME]
FEATURE_NAMES = NUMERIC_FEATURE_NAMES + list(CATEGORICAL_FEATURES_WITH_VOCABULARY)
COLUMN_DEFAULTS = [
    [0.0] if feature_name in NUMERIC_FEATURE_NAMES + [WEIGHT_COLUMN_NAME] else ["NA"]
    for feature_name in CSV_HEADER
]


def write_csv(path, n):
    age = rng.randint(18, 80, size=n)
    hours = rng.randint(10, 60, size=n)
    gains = rng.exponential(500.0, size=n)
    categorical = {name: rng.choice(vocab, size=n) for name, vocab in CATEGORICAL_FEATURES_WITH_VOCABULARY.items()}
    weight = rng.uniform(0.5, 2.0, size=n)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        for i in range(n):
            rich = hours[i] > 40 and categorical["education"][i] in ("masters", "doctorate")
            writer.writerow(
                [float(age[i]), float(hours[i]), round(float(gains[i]), 2)]
                + [categorical[name][i] for name in CATEGORICAL_FEATURES_WITH_VOCABULARY]
                + [round(float(weight[i]), 3), TARGET_LABELS[1] if rich else TARGET_LABELS[0]]
            )


train_data_file = "train_data.csv"
test_data_file = "test_data.csv"
write_csv(train_data_file, 192)
write_csv(test_data_file, 64)

target_label_lookup = layers.StringLookup(vocabulary=TARGET_LABELS, mask_token=None, num_oov_indices=0)
feature_lookups = {
    name: layers.StringLookup(vocabulary=vocab, mask_token=None, num_oov_indices=0)
    for name, vocab in CATEGORICAL_FEATURES_WITH_VOCABULARY.items()
}


def process(features, target):
    # make_csv_dataset yields an OrderedDict in column order, which Keras 3 flattens in that order
    # (a dict is flattened by sorted key, as the model's inputs are): a plain dict reaches each input by name.
    features = dict(features)
    for feature_name in features:
        if feature_name in CATEGORICAL_FEATURES_WITH_VOCABULARY:
            features[feature_name] = feature_lookups[feature_name](tf.cast(features[feature_name], tf.dtypes.string))
    target = target_label_lookup(target)
    weights = features.pop(WEIGHT_COLUMN_NAME)
    return features, target, weights


def get_dataset_from_csv(csv_file_path, shuffle=False, batch_size=128):
    dataset = tf.data.experimental.make_csv_dataset(
        csv_file_path,
        batch_size=batch_size,
        column_names=CSV_HEADER,
        column_defaults=COLUMN_DEFAULTS,
        label_name=TARGET_FEATURE_NAME,
        num_epochs=1,
        header=False,
        shuffle=shuffle,
    ).map(process)
    return dataset


def create_model_inputs():
    inputs = {}
    for feature_name in FEATURE_NAMES:
        if feature_name in NUMERIC_FEATURE_NAMES:
            inputs[feature_name] = layers.Input(name=feature_name, shape=(), dtype="float32")
        else:
            inputs[feature_name] = layers.Input(name=feature_name, shape=(), dtype="int64")
    return inputs


def encode_inputs(inputs, encoding_size):
    encoded_features = []
    for feature_name in inputs:
        if feature_name in CATEGORICAL_FEATURES_WITH_VOCABULARY:
            vocabulary = CATEGORICAL_FEATURES_WITH_VOCABULARY[feature_name]
            embedding_ecoder = layers.Embedding(input_dim=len(vocabulary), output_dim=encoding_size)
            encoded_feature = embedding_ecoder(inputs[feature_name])
        else:
            encoded_feature = ops.expand_dims(inputs[feature_name], -1)
            encoded_feature = layers.Dense(units=encoding_size)(encoded_feature)
        encoded_features.append(encoded_feature)
    return encoded_features


class GatedLinearUnit(layers.Layer):
    def __init__(self, units):
        super(GatedLinearUnit, self).__init__()
        self.linear = layers.Dense(units)
        self.sigmoid = layers.Dense(units, activation="sigmoid")

    def call(self, inputs):
        return self.linear(inputs) * self.sigmoid(inputs)


class GatedResidualNetwork(layers.Layer):
    def __init__(self, units, dropout_rate):
        super(GatedResidualNetwork, self).__init__()
        self.units = units
        self.elu_dense = layers.Dense(units, activation="elu")
        self.linear_dense = layers.Dense(units)
        self.dropout = layers.Dropout(dropout_rate)
        self.gated_linear_unit = GatedLinearUnit(units)
        self.layer_norm = layers.LayerNormalization()
        self.project = layers.Dense(units)

    def call(self, inputs):
        x = self.elu_dense(inputs)
        x = self.linear_dense(x)
        x = self.dropout(x)
        if inputs.shape[-1] != self.units:
            inputs = self.project(inputs)
        x = inputs + self.gated_linear_unit(x)
        x = self.layer_norm(x)
        return x


class VariableSelection(layers.Layer):
    def __init__(self, num_features, units, dropout_rate):
        super(VariableSelection, self).__init__()
        self.grns = list()
        for idx in range(num_features):
            grn = GatedResidualNetwork(units, dropout_rate)
            self.grns.append(grn)
        self.grn_concat = GatedResidualNetwork(units, dropout_rate)
        self.softmax = layers.Dense(units=num_features, activation="softmax")

    def call(self, inputs):
        v = layers.concatenate(inputs)
        v = self.grn_concat(v)
        v = ops.expand_dims(self.softmax(v), axis=-1)

        x = []
        for idx, input in enumerate(inputs):
            x.append(self.grns[idx](input))
        x = ops.stack(x, axis=1)

        outputs = ops.squeeze(ops.matmul(ops.swapaxes(v, -1, -2), x), axis=1)
        return outputs


def create_model(encoding_size):
    inputs = create_model_inputs()
    feature_list = encode_inputs(inputs, encoding_size)
    num_features = len(feature_list)
    features = VariableSelection(num_features, encoding_size, dropout_rate)(feature_list)
    outputs = layers.Dense(units=1, activation="sigmoid")(features)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


learning_rate = 0.001
dropout_rate = 0.15
batch_size = 32
num_epochs = 3
encoding_size = 8

model = create_model(encoding_size)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
    loss=keras.losses.BinaryCrossentropy(),
    metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
)
early_stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
train_dataset = get_dataset_from_csv(train_data_file, shuffle=True, batch_size=batch_size)
valid_dataset = get_dataset_from_csv(test_data_file, batch_size=batch_size)
history = model.fit(train_dataset, epochs=num_epochs, validation_data=valid_dataset, callbacks=[early_stopping], verbose=0)
assert np.isfinite(history.history["loss"][-1]), history.history

test_dataset = get_dataset_from_csv(test_data_file, batch_size=batch_size)
_, accuracy = model.evaluate(test_dataset, verbose=0)
print(f"Test accuracy: {round(accuracy * 100, 2)}%")
os.remove(train_data_file)
os.remove(test_data_file)
