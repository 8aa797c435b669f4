"""Feature engineering inside the model with Lambda layers (Keras 3, any backend).

Hand conversion of ../feature_engineering_lambda_layers.py: the string column never reaches the
model (only TensorFlow has string tensors; Keras 3 cannot even infer a Lambda's output shape on a
string input): the tf.data pipeline turns make_csv_dataset's OrderedDict rows into a plain dict of
float32 columns and maps "thal" to a StringLookup index; the Lambda functions use keras.ops and
compare the index and are registered with register_keras_serializable (a `.keras` file stores a
named function by name, and the program rebinds those names to the Lambda outputs); the model is
saved as a `.keras` file, reloaded, and evaluated with return_dict=True.
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
THAL_INDEX = {token: i + 1 for i, token in enumerate(THAL_VOCABULARY)}


input_layer_graph = keras.Model(inputs=feature_layer_inputs, outputs=feature_layer_inputs)
input_layer_graph.summary()


@keras.saving.register_keras_serializable(package="heart")
def ratio(x):
    """compute the ratio between two numeric features"""
    return x[0] / x[1]


@keras.saving.register_keras_serializable(package="heart")
def cross_feature(x):
    """compute the crossing of two features"""
    return ops.cast(x[0] * x[1] / 1000.0, dtype="float32")


@keras.saving.register_keras_serializable(package="heart")
def age_and_gender(x):
    """check if age gt 50 and if gender is male"""
    return ops.cast(ops.logical_and(x[0] > 50, ops.equal(x[1], 1.0)), dtype="float32")


@keras.saving.register_keras_serializable(package="heart")
def is_fixed(x):
    """encode categoric feature if value is equal to fixed"""
    return ops.cast(ops.equal(x, THAL_INDEX["fixed"]), dtype="float32")


@keras.saving.register_keras_serializable(package="heart")
def is_reversible(x):
    """encode categoric feature if value is equal to reversible"""
    return ops.cast(ops.equal(x, THAL_INDEX["reversible"]), dtype="float32")


@keras.saving.register_keras_serializable(package="heart")
def is_normal(x):
    """encode categoric feature if value is equal to normal"""
    return ops.cast(ops.equal(x, THAL_INDEX["normal"]), dtype="float32")


is_fixed = layers.Lambda(is_fixed, name="is_fixed")(feature_layer_inputs["thal"])
is_normal = layers.Lambda(is_normal, name="is_normal")(feature_layer_inputs["thal"])
is_reversible = layers.Lambda(is_reversible, name="is_reversible")(
    feature_layer_inputs["thal"]
)
age_and_gender = layers.Lambda(age_and_gender, name="age_and_gender")(
    (feature_layer_inputs["age"], feature_layer_inputs["sex"])
)
trest_chol_ratio = layers.Lambda(ratio, name="trest_chol_ratio")(
    (feature_layer_inputs["trestbps"], feature_layer_inputs["chol"])
)
trest_cross_thalach = layers.Lambda(cross_feature, name="trest_cross_thalach")(
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
lambda_feature_layer = layers.concatenate(feature_list, name="lambda_feature_layer")

feature_graph = keras.Model(inputs=feature_layer_inputs, outputs=lambda_feature_layer)
for features, _ in dataset.take(1):
    engineered = feature_graph.predict(features, verbose=0)
    print("engineered features:", engineered.shape)
    assert engineered.shape[1] == 6

numeric_feature_layer = layers.concatenate(
    [feature_layer_inputs[feature] for feature in numeric_features],
    name="numeric_feature_layer",
)
binary_feature_layer = layers.concatenate(
    [feature_layer_inputs[feature] for feature in binary_features],
    name="binary_feature_layer",
)
feature_layer = layers.concatenate(
    [lambda_feature_layer, numeric_feature_layer, binary_feature_layer],
    name="feature_layer",
)

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

saved_path = os.path.join(workdir, "lambda_layered_model.keras")
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
