"""Controlling randomness: seeded initializers and a training run repeated to the same history.

In the style of the tf.keras-era keras.io recipe "Reproducibility in Keras Models": a global seed
set with tf.keras.utils.set_random_seed and TensorFlow op determinism turned on with
tf.config.experimental.enable_op_determinism(); every built-in initializer class
(tf.keras.initializers.RandomNormal ... Orthogonal) called twice with seed=42 on shape (1, 1) and
turned into a Python float with float(...); two GlorotNormal(seed=42) objects giving the same
values and two unseeded ones giving different values (np.allclose on the tensors); a train_model
function building a Conv2D / MaxPooling2D / Dropout Sequential compiled with jit_compile=False and
fitted on tf.data datasets (from_tensor_slices, shuffle(buffer_size=len(...)), batch, a map with
tf.cast / tf.expand_dims / tf.image.resize and num_parallel_calls=tf.data.AUTOTUNE, prefetch);
the history dict written to JSON, the run repeated after re-seeding, and the two histories
compared value by value.
"""
import json
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import initializers

keras.utils.set_random_seed(812)
tf.config.experimental.enable_op_determinism()

initializers_list = [
    initializers.RandomNormal,
    initializers.RandomUniform,
    initializers.TruncatedNormal,
    initializers.VarianceScaling,
    initializers.GlorotNormal,
    initializers.GlorotUniform,
    initializers.HeNormal,
    initializers.HeUniform,
    initializers.LecunNormal,
    initializers.LecunUniform,
    initializers.Orthogonal,
]

for initializer in initializers_list:
    print(f"Running {initializer}")
    results = []
    for iteration in range(2):
        result = float(initializer(seed=42)(shape=(1, 1)))
        print(f"\tIteration --> {iteration} // Result --> {result}")
        results.append(result)
    assert results[0] == results[1], (initializer, results)

glorot_normal_1 = keras.initializers.GlorotNormal(seed=42)
glorot_normal_2 = keras.initializers.GlorotNormal(seed=42)
input_dim, neurons = 3, 5
result_1 = glorot_normal_1(shape=(input_dim, neurons))
result_2 = glorot_normal_2(shape=(input_dim, neurons))
equal = np.allclose(result_1, result_2)
print(f"Are the results equal? {equal}")
assert equal

glorot_normal_3 = keras.initializers.GlorotNormal()
glorot_normal_4 = keras.initializers.GlorotNormal()
result_3 = glorot_normal_3(shape=(input_dim, neurons))
result_4 = glorot_normal_4(shape=(input_dim, neurons))
equal = np.allclose(result_3, result_4)
print(f"Are the results equal? {equal}")
assert not equal


def train_model(train_data: tf.data.Dataset, test_data: tf.data.Dataset) -> dict:
    model = keras.Sequential(
        [
            layers.Conv2D(8, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Dropout(0.2),
            layers.Conv2D(8, (3, 3), activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(16, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=False,
    )
    history = model.fit(train_data, epochs=2, validation_data=test_data, verbose=2)
    print(f"Model accuracy on test data: {model.evaluate(test_data, verbose=0)[1] * 100:.2f}%")
    return history.history


rng = np.random.RandomState(0)
train_images = rng.randint(0, 256, size=(256, 28, 28)).astype("uint8")
train_labels = rng.randint(0, 10, size=(256,)).astype("uint8")
test_images = rng.randint(0, 256, size=(64, 28, 28)).astype("uint8")
test_labels = rng.randint(0, 10, size=(64,)).astype("uint8")


def prepare_dataset(image, label):
    image = tf.cast(image, tf.float32) / 255.0
    image = tf.expand_dims(image, axis=-1)
    image = tf.image.resize(image, (16, 16))
    return image, label


def make_datasets():
    train_ds = tf.data.Dataset.from_tensor_slices((train_images, train_labels))
    test_ds = tf.data.Dataset.from_tensor_slices((test_images, test_labels))
    train_data = (
        train_ds.shuffle(buffer_size=len(train_images))
        .batch(batch_size=64)
        .map(prepare_dataset, num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(buffer_size=tf.data.AUTOTUNE)
    )
    test_data = (
        test_ds.batch(batch_size=64)
        .map(prepare_dataset, num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(buffer_size=tf.data.AUTOTUNE)
    )
    return train_data, test_data


keras.utils.set_random_seed(812)
history = train_model(*make_datasets())

history_path = os.path.join(tempfile.mkdtemp(), "history.json")
with open(history_path, "w") as fp:
    json.dump(history, fp)

# A second run from the same seed (the recipe restarts the kernel instead).
keras.utils.set_random_seed(812)
history_again = train_model(*make_datasets())

with open(history_path, "r") as fp:
    history_loaded = json.load(fp)

for key in history_again.keys():
    for i in range(len(history_again[key])):
        if not np.allclose(history_again[key][i], history_loaded[key][i]):
            raise AssertionError(f"{key} not equal: {history_again[key][i]} vs {history_loaded[key][i]}")
print("Both runs gave the same history:", sorted(history_loaded))
