"""Sensor readings from a CSV: a weight column the model never takes sits among the features."""
import csv
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

CSV_COLUMNS = ["age", "batch_weight", "hours", "region", "churned"]
NUMERIC_FEATURES = ["age", "hours"]
REGION_COUNT = 4
FEATURES = NUMERIC_FEATURES + ["region"]
TARGET = "churned"

rng = np.random.default_rng(7)
with open("readings.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    for _ in range(256):
        region = int(rng.integers(0, REGION_COUNT))
        writer.writerow([float(rng.integers(18, 80)), float(rng.uniform(1, 60)), float(rng.integers(1, 60)), region, int(region % 2)])


def load(path, batch_size=32):
    return tf.data.experimental.make_csv_dataset(
        path,
        batch_size=batch_size,
        column_names=CSV_COLUMNS,
        column_defaults=[0.0, 0.0, 0.0, 0, 0],
        label_name=TARGET,
        header=False,
        num_epochs=1,
        shuffle=False,
    )


def build_model():
    inputs = {name: layers.Input(name=name, shape=(), dtype=tf.float32 if name in NUMERIC_FEATURES else tf.int32) for name in FEATURES}
    numeric = layers.concatenate([tf.expand_dims(inputs[name], -1) / 80.0 for name in NUMERIC_FEATURES])
    region = layers.Flatten()(layers.Embedding(REGION_COUNT, 3)(inputs["region"]))
    hidden = layers.Dense(8, activation="relu")(layers.concatenate([numeric, region]))
    return keras.Model(inputs, layers.Dense(1, activation="sigmoid")(hidden))


model = build_model()
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(load("readings.csv"), epochs=2, verbose=0)
print("loss", history.history["loss"][-1])
probe = {"age": np.array([30.0]), "hours": np.array([10.0]), "region": np.array([3])}
print("prediction", float(model.predict(probe, verbose=0)[0, 0]))
