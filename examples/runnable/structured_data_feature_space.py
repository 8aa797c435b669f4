"""Structured data classification with FeatureSpace (keras.io, tf.keras 2.12 era).

A pandas-free heart-disease-like CSV read with tf.data.experimental.make_csv_dataset, a
FeatureSpace with integer / string categorical, discretized and normalized features and
feature crosses, adapted on the label-free dataset and mapped into the training pipeline,
a training model on the encoded features and an end-to-end inference model on the raw dict
inputs, saved to .h5 weights and reloaded.
"""
import csv
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.utils import FeatureSpace

rng = np.random.RandomState(7)
n = 160
workdir = tempfile.mkdtemp()
csv_path = os.path.join(workdir, "heart.csv")
with open(csv_path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["age", "sex", "cp", "trestbps", "chol", "thal", "target"])
    for _ in range(n):
        age = int(rng.randint(29, 77))
        sex = int(rng.randint(0, 2))
        cp = int(rng.randint(0, 4))
        trestbps = float(rng.normal(130, 15))
        chol = float(rng.normal(240, 40))
        thal = ["normal", "fixed", "reversible"][rng.randint(0, 3)]
        target = int((cp >= 2) ^ (thal == "reversible") ^ (age > 55))
        w.writerow([age, sex, cp, round(trestbps, 1), round(chol, 1), thal, target])

dataset = tf.data.experimental.make_csv_dataset(
    csv_path, batch_size=1, label_name="target", num_epochs=1, shuffle=False
)
dataset = dataset.unbatch()
val_ds = dataset.take(32).batch(16)
train_ds = dataset.skip(32).batch(16)

for x, y in train_ds.take(1):
    print("Input:", {k: v.numpy()[:2] for k, v in x.items()})
    print("Target:", y.numpy()[:2])

feature_space = FeatureSpace(
    features={
        "sex": FeatureSpace.integer_categorical(num_oov_indices=0),
        "cp": FeatureSpace.integer_categorical(num_oov_indices=0),
        "thal": FeatureSpace.string_categorical(num_oov_indices=0),
        "age": FeatureSpace.float_discretized(num_bins=8),
        "trestbps": FeatureSpace.float_normalized(),
        "chol": FeatureSpace.float_normalized(),
    },
    crosses=[
        FeatureSpace.cross(feature_names=("sex", "age"), crossing_dim=16),
        FeatureSpace.cross(feature_names=("thal", "cp"), crossing_dim=8),
    ],
    output_mode="concat",
)

train_ds_with_no_labels = train_ds.map(lambda x, _: x)
feature_space.adapt(train_ds_with_no_labels)

for x, _ in train_ds.take(1):
    preprocessed_x = feature_space(x)
    print("preprocessed_x.shape:", preprocessed_x.shape)
    print("preprocessed_x.dtype:", preprocessed_x.dtype)

preprocessed_train_ds = train_ds.map(
    lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE
).prefetch(tf.data.AUTOTUNE)
preprocessed_val_ds = val_ds.map(
    lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE
).prefetch(tf.data.AUTOTUNE)

dict_inputs = feature_space.get_inputs()
encoded_features = feature_space.get_encoded_features()

x = keras.layers.Dense(16, activation="relu")(encoded_features)
x = keras.layers.Dropout(0.5)(x)
predictions = keras.layers.Dense(1, activation="sigmoid")(x)

training_model = keras.Model(inputs=encoded_features, outputs=predictions)
training_model.compile(
    optimizer=keras.optimizers.Adam(lr=0.01),
    loss="binary_crossentropy",
    metrics=["accuracy", keras.metrics.AUC(name="auc")],
)
inference_model = keras.Model(inputs=dict_inputs, outputs=predictions)

history = training_model.fit(
    preprocessed_train_ds, epochs=3, validation_data=preprocessed_val_ds, verbose=2
)
print("val_auc:", history.history["val_auc"][-1])

weights_path = os.path.join(workdir, "feature_space_model.h5")
training_model.save_weights(weights_path)
training_model.load_weights(weights_path)

sample = {
    "age": 60,
    "sex": 1,
    "cp": 3,
    "trestbps": 145.0,
    "chol": 233.0,
    "thal": "fixed",
}
input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
prediction = inference_model.predict(input_dict)
print(
    "This particular patient had a %.1f percent probability of having a heart disease."
    % (100 * prediction[0][0],)
)
assert prediction.shape == (1, 1)
