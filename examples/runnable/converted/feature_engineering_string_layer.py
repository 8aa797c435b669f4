"""Feature engineering inside the model with a custom feature layer (Keras 3, any backend).

Hand conversion of ../feature_engineering_string_layer.py: the string column never reaches the
model (only TensorFlow has string tensors): the tf.data pipeline (TensorFlow on every backend)
turns the OrderedDict rows of make_csv_dataset into a plain dict of float32 columns and maps "thal"
to an integer index with a StringLookup; the FeatureLayer compares that index with the lookup's
indices and does the rest with keras.ops; the model is saved as a `.keras` file with the layer
registered, reloaded, and evaluated with return_dict=True (Keras 3's metrics_names of a compiled
model are not the per-metric names).
"""
import csv
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

keras.utils.set_random_seed(7)
rng = np.random.RandomState(7)

workdir = tempfile.mkdtemp()
heart_csv = os.path.join(workdir, "heart.csv")

columns = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach",
           "exang", "oldpeak", "slope", "ca", "thal", "target"]
with open(heart_csv, "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(columns)
    for _ in range(96):
        writer.writerow([
            rng.randint(30, 77), rng.randint(0, 2), rng.randint(0, 4),
            rng.randint(95, 180), rng.randint(150, 400), rng.randint(0, 2),
            rng.randint(0, 3), rng.randint(90, 200), rng.randint(0, 2),
            round(float(rng.uniform(0, 4)), 1), rng.randint(0, 3), rng.randint(0, 4),
            ["fixed", "normal", "reversible"][rng.randint(0, 3)], rng.randint(0, 2),
        ])

binary_features = ["sex", "fbs", "exang"]
numeric_features = ["trestbps", "chol", "thalach", "oldpeak", "slope", "cp", "restecg", "ca"]
categoric_features = ["thal"]
THAL_VOCABULARY = ["fixed", "normal", "reversible"]
thal_lookup = layers.StringLookup(vocabulary=THAL_VOCABULARY)  # 0 = unknown, then 1, 2, 3


def encode_features(features):
    """tf.data side: a plain dict of float32 columns, the string column as its lookup index."""
    encoded = {}
    for name, value in features.items():
        if name == "thal":
            encoded[name] = tf.cast(thal_lookup(value), "float32")
        else:
            encoded[name] = tf.cast(value, "float32")
    return encoded


dataset = tf.data.experimental.make_csv_dataset(
    heart_csv, batch_size=32, label_name="target", num_epochs=1, shuffle=False
).map(lambda features, label: (encode_features(features), label))

feature_names = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach",
                 "exang", "oldpeak", "slope", "ca", "thal"]


def create_inputs(names):
    return {feature: keras.Input(shape=(1,), name=feature, dtype="float32") for feature in names}


feature_layer_inputs = create_inputs(feature_names)


@keras.saving.register_keras_serializable(package="heart")
class FeatureLayer(layers.Layer):
    """All feature engineering in one layer: one-hot of the looked-up column, crosses, ratios."""

    def call(self, inputs):
        age_and_gender = ops.cast(
            ops.logical_and(inputs["age"] > 50, ops.equal(inputs["sex"], 1.0)), "float32"
        )
        index = {token: i + 1 for i, token in enumerate(THAL_VOCABULARY)}
        thal_fixed_category = ops.cast(ops.equal(inputs["thal"], index["fixed"]), "float32")
        thal_reversible_category = ops.cast(ops.equal(inputs["thal"], index["reversible"]), "float32")
        thal_normal_category = ops.cast(ops.equal(inputs["thal"], index["normal"]), "float32")

        trest_chol_ratio = inputs["trestbps"] / inputs["chol"]
        trest_cross_thalach = inputs["trestbps"] * inputs["thalach"] / 1000.0

        engineered = ops.concatenate([
            thal_fixed_category,
            thal_reversible_category,
            thal_normal_category,
            age_and_gender,
            trest_chol_ratio,
            trest_cross_thalach,
        ], axis=-1)
        numeric = ops.concatenate([inputs[feature] for feature in numeric_features], axis=-1)
        binary = ops.concatenate([inputs[feature] for feature in binary_features], axis=-1)
        return ops.concatenate([engineered, numeric, binary], axis=-1)


feature_layer = FeatureLayer(name="feature_layer")(feature_layer_inputs)
x = layers.BatchNormalization(name="batch_norm")(feature_layer)
output = layers.Dense(1, activation="sigmoid", name="target")(x)
model = keras.Model(inputs=feature_layer_inputs, outputs=output)
model.compile(
    loss=keras.losses.BinaryCrossentropy(),
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    metrics=[
        keras.metrics.BinaryAccuracy(name="accuracy"),
        keras.metrics.AUC(name="auc"),
    ],
)

model.fit(dataset, epochs=2, verbose=2)

saved_path = os.path.join(workdir, "heart_model.keras")
model.save(saved_path)

loaded_model = keras.models.load_model(saved_path)
results = loaded_model.evaluate(dataset, verbose=0, return_dict=True)
print(results)
assert set(results) == {"loss", "accuracy", "auc"}, results

raw = {name: tf.constant([[value]]) for name, value in [
    ("age", 61.0), ("sex", 1.0), ("cp", 2.0), ("trestbps", 140.0), ("chol", 250.0),
    ("fbs", 0.0), ("restecg", 1.0), ("thalach", 150.0), ("exang", 0.0), ("oldpeak", 1.2),
    ("slope", 1.0), ("ca", 0.0), ("thal", "reversible"),
]}
encoded = {name: value.numpy() for name, value in encode_features(raw).items()}
probability = loaded_model.predict(encoded, verbose=0)
print("probability of disease:", float(probability[0][0]))
