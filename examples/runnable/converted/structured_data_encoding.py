"""Structured data classification: every column encoded by a preprocessing layer adapted on tf.data.

In the style of keras.io's structured_data_classification_from_scratch (tf.keras era): the
preprocessing layers are part of the functional model, so the model takes raw values (integer
codes and strings) and can be called on a dict of tensors for inference.
"""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

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


# Keras 3: only TensorFlow has string tensors, so the preprocessing layers run in the tf.data
# pipeline (TensorFlow on every backend) and the model receives the numbers they produce.
def adapted(layer, name, dataset):
    layer.adapt(feature_dataset(name, dataset))
    return layer


age_bins = layers.Discretization(bin_boundaries=[35.0, 45.0, 55.0, 65.0])
age_encoding = layers.CategoryEncoding(num_tokens=5, output_mode="multi_hot")
trestbps_norm = adapted(layers.Normalization(), "trestbps", train_ds)
sex_lookup = adapted(layers.IntegerLookup(output_mode="multi_hot"), "sex", train_ds)
cp_lookup = adapted(layers.IntegerLookup(output_mode="multi_hot"), "cp", train_ds)
thal_lookup = adapted(layers.StringLookup(output_mode="multi_hot"), "thal", train_ds)
city_hashing = layers.Hashing(num_bins=8)
city_encoding = layers.CategoryEncoding(num_tokens=8, output_mode="multi_hot")


def encode_features(features):
    column = {name: tf.expand_dims(value, -1) for name, value in features.items()}
    return tf.concat([
        tf.cast(age_encoding(age_bins(tf.cast(column["age"], tf.float32))), tf.float32),
        tf.cast(trestbps_norm(column["trestbps"]), tf.float32),
        tf.cast(sex_lookup(column["sex"]), tf.float32),
        tf.cast(cp_lookup(column["cp"]), tf.float32),
        tf.cast(thal_lookup(column["thal"]), tf.float32),
        tf.cast(city_encoding(city_hashing(column["city"])), tf.float32),
    ], axis=-1)


train_features = train_ds.map(lambda x, y: (encode_features(x), y))
val_features = val_ds.map(lambda x, y: (encode_features(x), y))
feature_size = train_features.element_spec[0].shape[-1]

inputs = keras.Input(shape=(feature_size,))
x = layers.Dense(32, activation="relu")(inputs)
x = layers.Dropout(0.3)(x)
output = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, output)
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
model.fit(train_features, epochs=3, validation_data=val_features, verbose=0)

sample = {"age": 60, "trestbps": 145.0, "sex": 1, "cp": 2, "thal": "fixed", "city": "nice"}
input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
predictions = model.predict(encode_features(input_dict).numpy(), verbose=0)
print("probability of heart disease: %.1f%%" % (100 * predictions[0][0],))
