"""Feature engineering inside the model with Lambda layers over string and numeric columns.

In the style of the tf.keras-era keras.io example "Feature Engineering using Keras Functional API
and Lambda layers" (structured data): a heart-disease-like CSV read with
tf.data.experimental.make_csv_dataset(label_name=..., num_epochs=...); a dict of
tf.keras.Input(shape=(1,), name=feature, dtype=dtype) from a feature -> dtype mapper (tf.string for
the categorical "thal" column); an identity model tf.keras.Model(inputs=inputs, outputs=inputs);
named module-level functions (ratio, cross_feature, age_and_gender, is_fixed / is_normal /
is_reversible comparing the string tensor with Python strings) wrapped in
tf.keras.layers.Lambda(fn, name=...) and called on one input or on a tuple of two;
tf.keras.layers.concatenate(..., name=...) of the Lambda outputs and of the raw inputs; a feature
sub-model sharing the inputs; tf.keras.models.save_model to a SavedModel directory, load_model,
and dict(zip(loaded_model.metrics_names, loaded_model.evaluate(dataset))).
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


input_layer_graph = tf.keras.Model(inputs=feature_layer_inputs, outputs=feature_layer_inputs)
input_layer_graph.summary()


def ratio(x):
    """compute the ratio between two numeric features"""
    return x[0] / x[1]


def cross_feature(x):
    """compute the crossing of two features"""
    return tf.cast(x[0] * x[1] / 1000.0, dtype=tf.float32)


def age_and_gender(x):
    """check if age gt 50 and if gender is male"""
    return tf.cast(tf.math.logical_and(x[0] > 50, x[1] == 1), dtype=tf.float32)


def is_fixed(x):
    """encode categoric feature if value is equal to fixed"""
    return tf.cast(x == "fixed", dtype=tf.float32)


def is_reversible(x):
    """encode categoric feature if value is equal to reversible"""
    return tf.cast(x == "reversible", dtype=tf.float32)


def is_normal(x):
    """encode categoric feature if value is equal to normal"""
    return tf.cast(x == "normal", dtype=tf.float32)


is_fixed = tf.keras.layers.Lambda(is_fixed, name="is_fixed")(feature_layer_inputs["thal"])
is_normal = tf.keras.layers.Lambda(is_normal, name="is_normal")(feature_layer_inputs["thal"])
is_reversible = tf.keras.layers.Lambda(is_reversible, name="is_reversible")(
    feature_layer_inputs["thal"]
)
age_and_gender = tf.keras.layers.Lambda(age_and_gender, name="age_and_gender")(
    (feature_layer_inputs["age"], feature_layer_inputs["sex"])
)
trest_chol_ratio = tf.keras.layers.Lambda(ratio, name="trest_chol_ratio")(
    (feature_layer_inputs["trestbps"], feature_layer_inputs["chol"])
)
trest_cross_thalach = tf.keras.layers.Lambda(cross_feature, name="trest_cross_thalach")(
    (feature_layer_inputs["trestbps"], feature_layer_inputs["thalach"])
)

feature_list = [
    is_fixed,
    is_normal,
    is_reversible,
    age_and_gender,
    trest_chol_ratio,
    trest_cross_thalach,
]
lambda_feature_layer = tf.keras.layers.concatenate(feature_list, name="lambda_feature_layer")

feature_graph = tf.keras.Model(inputs=feature_layer_inputs, outputs=lambda_feature_layer)
for features, _ in dataset.take(1):
    engineered = feature_graph.predict(features, verbose=0)
    print("engineered features:", engineered.shape)
    assert engineered.shape[1] == 6

numeric_feature_layer = tf.keras.layers.concatenate(
    [feature_layer_inputs[feature] for feature in numeric_features],
    name="numeric_feature_layer",
)
binary_feature_layer = tf.keras.layers.concatenate(
    [feature_layer_inputs[feature] for feature in binary_features],
    name="binary_feature_layer",
)
feature_layer = tf.keras.layers.concatenate(
    [lambda_feature_layer, numeric_feature_layer, binary_feature_layer],
    name="feature_layer",
)

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

saved_dir = os.path.join(workdir, "lambda_layered_model")
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
