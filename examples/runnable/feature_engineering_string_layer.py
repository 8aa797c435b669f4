"""Feature engineering inside the model with a custom feature layer over string and numeric columns.

In the style of the tf.keras-era keras.io example "Feature Engineering using Keras Functional API
and custom Feature layer" (structured data): a heart-disease-like CSV written to disk and read with
tf.data.experimental.make_csv_dataset(label_name=..., num_epochs=...); a dict of
tf.keras.Input(shape=(1,), name=feature, dtype=dtype) built from a feature -> dtype mapper (tf.float32
for the numbers, tf.string for the categorical "thal" column); a FeatureLayer whose call() compares
the string input with Python strings (inputs["thal"] == "fixed") and casts the result, crosses and
divides numeric columns, tf.math.logical_and of two comparisons, and joins everything with
tf.keras.layers.concatenate; BatchNormalization + a sigmoid Dense; BinaryAccuracy / AUC metrics;
tf.keras.models.save_model to a SavedModel directory, tf.keras.models.load_model of it, and
dict(zip(loaded_model.metrics_names, loaded_model.evaluate(dataset))).
"""
import csv
import os
import tempfile

import numpy as np
import tensorflow as tf

tf.random.set_seed(7)
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

dataset = tf.data.experimental.make_csv_dataset(
    heart_csv, batch_size=32, label_name="target", num_epochs=1, shuffle=False
)

binary_features = ["sex", "fbs", "exang"]
numeric_features = ["trestbps", "chol", "thalach", "oldpeak", "slope", "cp", "restecg", "ca"]
categoric_features = ["thal"]

dtype_mapper = {
    "age": tf.float32,
    "sex": tf.float32,
    "cp": tf.float32,
    "trestbps": tf.float32,
    "chol": tf.float32,
    "fbs": tf.float32,
    "restecg": tf.float32,
    "thalach": tf.float32,
    "exang": tf.float32,
    "oldpeak": tf.float32,
    "slope": tf.float32,
    "ca": tf.float32,
    "thal": tf.string,
}


def create_inputs(data_type_mapper):
    """One Keras input per column, named after it, with the column's dtype."""
    return {
        feature: tf.keras.Input(shape=(1,), name=feature, dtype=dtype)
        for feature, dtype in data_type_mapper.items()
    }


feature_layer_inputs = create_inputs(dtype_mapper)


class FeatureLayer(tf.keras.layers.Layer):
    """All feature engineering in one layer: one-hot of the string column, crosses, ratios."""

    def __init__(self, *args, **kwargs):
        super(FeatureLayer, self).__init__(*args, **kwargs)

    def call(self, inputs):
        age_and_gender = tf.cast(
            tf.math.logical_and(inputs["age"] > 50, inputs["sex"] == 1), dtype=tf.float32
        )
        thal_fixed_category = tf.cast(inputs["thal"] == "fixed", dtype=tf.float32)
        thal_reversible_category = tf.cast(inputs["thal"] == "reversible", dtype=tf.float32)
        thal_normal_category = tf.cast(inputs["thal"] == "normal", dtype=tf.float32)

        trest_chol_ratio = inputs["trestbps"] / inputs["chol"]
        trest_cross_thalach = inputs["trestbps"] * inputs["thalach"] / 1000.0

        engineered_feature_layer = tf.keras.layers.concatenate([
            thal_fixed_category,
            thal_reversible_category,
            thal_normal_category,
            age_and_gender,
            trest_chol_ratio,
            trest_cross_thalach,
        ])
        numeric_feature_layer = tf.keras.layers.concatenate(
            [inputs[feature] for feature in numeric_features]
        )
        binary_feature_layer = tf.keras.layers.concatenate(
            [inputs[feature] for feature in binary_features]
        )
        return tf.keras.layers.concatenate(
            [engineered_feature_layer, numeric_feature_layer, binary_feature_layer]
        )


feature_layer = FeatureLayer(name="feature_layer")(feature_layer_inputs)
x = tf.keras.layers.BatchNormalization(name="batch_norm")(feature_layer)
output = tf.keras.layers.Dense(1, activation="sigmoid", name="target")(x)
model = tf.keras.Model(inputs=feature_layer_inputs, outputs=output)
model.compile(
    loss=tf.keras.losses.BinaryCrossentropy(),
    optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
    metrics=[
        tf.keras.metrics.BinaryAccuracy(name="accuracy"),
        tf.keras.metrics.AUC(name="auc"),
    ],
)

model.fit(dataset, epochs=2, verbose=2)

saved_dir = os.path.join(workdir, "saved_model")
tf.keras.models.save_model(model, saved_dir)

loaded_model = tf.keras.models.load_model(saved_dir)
results = dict(zip(loaded_model.metrics_names, loaded_model.evaluate(dataset, verbose=0)))
print(results)
assert set(results) == {"loss", "accuracy", "auc"}, results

raw = {name: tf.constant([[value]]) for name, value in [
    ("age", 61.0), ("sex", 1.0), ("cp", 2.0), ("trestbps", 140.0), ("chol", 250.0),
    ("fbs", 0.0), ("restecg", 1.0), ("thalach", 150.0), ("exang", 0.0), ("oldpeak", 1.2),
    ("slope", 1.0), ("ca", 0.0), ("thal", "reversible"),
]}
probability = loaded_model.predict(raw, verbose=0)
print("probability of disease:", float(probability[0][0]))
