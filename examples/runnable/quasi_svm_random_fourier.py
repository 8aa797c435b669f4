"""Quasi-SVM classifier with random Fourier features on synthetic digit-like vectors (in the style
of the tf.keras-era keras.io "A Quasi-SVM in Keras" example): a Sequential model of
keras.layers.experimental.RandomFourierFeatures(kernel_initializer="gaussian", scale=...) and a
Dense layer trained with the hinge loss on one-hot labels from keras.utils.to_categorical, the
same layer imported as `from tensorflow.keras.layers.experimental import RandomFourierFeatures`
in a functional variant with a Laplacian kernel and a trainable kernel_scale, squared_hinge, an
ExponentialDecay schedule, a CSVLogger callback, model.save to a SavedModel directory and
load_model, and a final prediction through tf.argmax."""
import os
import shutil
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers.experimental import RandomFourierFeatures

np.random.seed(5)
tf.random.set_seed(5)

num_classes = 10
input_dim = 64

# --- synthetic "flattened digits": class prototypes plus noise -------------------------------
prototypes = np.random.rand(num_classes, input_dim).astype("float32")
y_train = np.random.randint(0, num_classes, size=512)
y_test = np.random.randint(0, num_classes, size=128)
x_train = prototypes[y_train] + 0.3 * np.random.rand(512, input_dim).astype("float32")
x_test = prototypes[y_test] + 0.3 * np.random.rand(128, input_dim).astype("float32")

# Preprocess the data by flattening & scaling it
x_train = x_train.reshape(-1, input_dim).astype("float32") / 1.3
x_test = x_test.reshape(-1, input_dim).astype("float32") / 1.3

# Categorical (one hot) encoding of the labels
y_train = keras.utils.to_categorical(y_train)
y_test = keras.utils.to_categorical(y_test)

model = keras.Sequential(
    [
        keras.Input(shape=(input_dim,)),
        layers.experimental.RandomFourierFeatures(
            output_dim=512, scale=10.0, kernel_initializer="gaussian"
        ),
        layers.Dense(units=num_classes),
    ]
)
lr_schedule = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate=1e-3, decay_steps=20, decay_rate=0.9
)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=lr_schedule),
    loss=keras.losses.hinge,
    metrics=[keras.metrics.CategoricalAccuracy(name="acc")],
)
model.summary()

work_dir = tempfile.mkdtemp()
model.fit(
    x_train,
    y_train,
    epochs=1,
    batch_size=128,
    validation_split=0.2,
    callbacks=[keras.callbacks.CSVLogger(os.path.join(work_dir, "training.csv"))],
    verbose=2,
)
print("test [loss, acc]:", model.evaluate(x_test, y_test, verbose=0))

# A functional variant with a Laplacian kernel and a trainable scale.
inputs = keras.Input(shape=(input_dim,), name="pixels")
features = RandomFourierFeatures(
    output_dim=256, kernel_initializer="laplacian", scale=5.0, trainable=True, name="rff"
)(inputs)
outputs = layers.Dense(num_classes, name="scores")(features)
laplacian_svm = keras.Model(inputs, outputs, name="laplacian_svm")
laplacian_svm.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
    loss=keras.losses.squared_hinge,
    metrics=["accuracy"],
)
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(512).batch(64)
laplacian_svm.fit(train_ds, epochs=1, verbose=2)
print("rff scale after training:", laplacian_svm.get_layer("rff").kernel_scale.numpy())

# Save to a SavedModel directory and reload.
save_dir = os.path.join(work_dir, "quasi_svm")
model.save(save_dir)
reloaded = keras.models.load_model(save_dir)
scores = reloaded.predict(x_test[:8], verbose=0)
np.testing.assert_allclose(scores, model.predict(x_test[:8], verbose=0), atol=1e-5)
predicted_labels = tf.argmax(scores, axis=-1).numpy()
print("predicted labels:", predicted_labels, "true:", y_test[:8].argmax(axis=-1))
shutil.rmtree(work_dir)
print("quasi-SVM done")
