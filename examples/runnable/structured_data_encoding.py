"""Structured data classification: every column encoded by a preprocessing layer adapted on tf.data.

In the style of keras.io's structured_data_classification_from_scratch (tf.keras era): the
preprocessing layers are part of the functional model, so the model takes raw values (integer
codes and strings) and can be called on a dict of tensors for inference.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers.experimental import preprocessing

rng = np.random.RandomState(1)
n = 160
data = {
    "age": rng.randint(25, 75, size=n).astype("int64"),
    "trestbps": rng.normal(130.0, 15.0, size=n).astype("float32"),
    "sex": rng.randint(0, 2, size=n).astype("int64"),
    "cp": rng.randint(0, 4, size=n).astype("int64"),
    "thal": rng.choice(["normal", "fixed", "reversible"], size=n),
    "city": rng.choice(["paris", "lyon", "nice", "lille", "brest"], size=n),
}
labels = ((data["age"] > 50) ^ (data["thal"] == "fixed")).astype("int64")


def dataframe_to_dataset(columns, target):
    ds = tf.data.Dataset.from_tensor_slices((dict(columns), target))
    ds = ds.shuffle(buffer_size=len(target), seed=0)
    return ds


split = 128
train_ds = dataframe_to_dataset({k: v[:split] for k, v in data.items()}, labels[:split]).batch(32)
val_ds = dataframe_to_dataset({k: v[split:] for k, v in data.items()}, labels[split:]).batch(32)


def feature_dataset(name, dataset):
    return dataset.map(lambda x, y: x[name]).map(lambda x: tf.expand_dims(x, -1))


def encode_numerical_feature(feature, name, dataset):
    normalizer = preprocessing.Normalization()
    normalizer.adapt(feature_dataset(name, dataset))
    return normalizer(feature)


def encode_categorical_feature(feature, name, dataset, is_string):
    lookup_class = preprocessing.StringLookup if is_string else preprocessing.IntegerLookup
    lookup = lookup_class(output_mode="binary")
    lookup.adapt(feature_dataset(name, dataset))
    return lookup(feature)


def encode_binned_feature(feature, boundaries):
    bins = preprocessing.Discretization(bins=boundaries)(tf.cast(feature, tf.float32))
    return preprocessing.CategoryEncoding(max_tokens=len(boundaries) + 1, output_mode="binary")(bins)


def encode_hashed_feature(feature, num_bins):
    hashed = preprocessing.Hashing(num_bins=num_bins)(feature)
    return preprocessing.CategoryEncoding(num_tokens=num_bins, output_mode="binary")(hashed)


age = keras.Input(shape=(1,), name="age", dtype="int64")
trestbps = keras.Input(shape=(1,), name="trestbps")
sex = keras.Input(shape=(1,), name="sex", dtype="int64")
cp = keras.Input(shape=(1,), name="cp", dtype="int64")
thal = keras.Input(shape=(1,), name="thal", dtype="string")
city = keras.Input(shape=(1,), name="city", dtype="string")
all_inputs = [age, trestbps, sex, cp, thal, city]

all_features = layers.concatenate([
    encode_binned_feature(age, [35.0, 45.0, 55.0, 65.0]),
    encode_numerical_feature(trestbps, "trestbps", train_ds),
    encode_categorical_feature(sex, "sex", train_ds, False),
    encode_categorical_feature(cp, "cp", train_ds, False),
    encode_categorical_feature(thal, "thal", train_ds, True),
    encode_hashed_feature(city, 8),
])
x = layers.Dense(32, activation="relu")(all_features)
x = layers.Dropout(0.3)(x)
output = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(all_inputs, output)
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])


def add_feature_axis(features, label):
    return {name: tf.expand_dims(value, -1) for name, value in features.items()}, label


model.fit(train_ds.map(add_feature_axis), epochs=3, validation_data=val_ds.map(add_feature_axis), verbose=0)

sample = {"age": 60, "trestbps": 145.0, "sex": 1, "cp": 2, "thal": "fixed", "city": "nice"}
input_dict = {name: tf.convert_to_tensor([[value]]) for name, value in sample.items()}
predictions = model.predict(input_dict, verbose=0)
print("probability of heart disease: %.1f%%" % (100 * predictions[0][0],))
