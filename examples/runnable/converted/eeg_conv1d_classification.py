"""keras.io "Electroencephalogram Signal Classification for action identification" (tf.keras
version) on synthetic EEG-like signals instead of the Kaggle CSV: per-sample min-max scaling in
NumPy, labels one-hot with keras.utils.to_categorical, class_weight computed from NumPy label
counts, tf.data.Dataset.from_tensor_slices(...).shuffle().batch().prefetch(tf.data.AUTOTUNE), a
Conv1D/BatchNormalization/Dropout model built by create_model(), Adam(amsgrad=True), metrics
TopKCategoricalAccuracy(k=3), AUC, Precision, Recall plus a custom balanced-accuracy metric
function built on tf.math.confusion_matrix and tf.argmax, ModelCheckpoint to "best_model.h5"
(save_best_only, monitor="loss"), ReduceLROnPlateau, fit(class_weight=...), evaluate unpacked into
five values, and keras.models.load_model of the .h5 with custom_objects."""
import os
import tempfile

import keras
import numpy as np
import tensorflow as tf
from keras import layers
from keras import ops

QUALITY_THRESHOLD = 128
BATCH_SIZE = 16
SHUFFLE_BUFFER_SIZE = BATCH_SIZE * 2
num_classes = 4
SIGNAL_LEN = 64

os.chdir(tempfile.mkdtemp())

"""
## Synthetic signals: each class a different dominant frequency, imbalanced classes
"""

rng = np.random.RandomState(7)
counts = [60, 40, 30, 20]
signals, label_list = [], []
t = np.linspace(0, 1, SIGNAL_LEN)
for label, n in enumerate(counts):
    for _ in range(n):
        s = np.sin(2 * np.pi * (2 + 3 * label) * t + rng.rand()) + 0.3 * rng.randn(SIGNAL_LEN)
        signals.append(s)
        label_list.append(label)
data_array = np.array(signals, dtype="float32")
labels = np.array(label_list)
perm = rng.permutation(len(labels))
data_array, labels = data_array[perm], labels[perm]

data_array = (data_array - data_array.min(axis=1, keepdims=True)) / (
    data_array.max(axis=1, keepdims=True) - data_array.min(axis=1, keepdims=True)
)
data_array = data_array.reshape(-1, SIGNAL_LEN, 1)

split = int(0.85 * len(labels))
x_train, x_test = data_array[:split], data_array[split:]
y_train = keras.utils.to_categorical(labels[:split], num_classes)
y_test = keras.utils.to_categorical(labels[split:], num_classes)

vals_dict = {}
for i in np.unique(labels):
    vals_dict[i] = int(np.sum(labels == i))
total = sum(vals_dict.values())
weight_dict = {k: (1 - (v / total)) for k, v in vals_dict.items()}
print(weight_dict)

train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
test_dataset = tf.data.Dataset.from_tensor_slices((x_test, y_test))
train_dataset = train_dataset.shuffle(SHUFFLE_BUFFER_SIZE).batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)
test_dataset = test_dataset.batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)

"""
## Model
"""


def create_model():
    input_layer = keras.Input(shape=(SIGNAL_LEN, 1))
    x = layers.Conv1D(filters=16, kernel_size=3, strides=2, activation="relu", padding="same")(input_layer)
    x = layers.BatchNormalization()(x)
    x = layers.Conv1D(filters=32, kernel_size=3, strides=2, activation="relu", padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Conv1D(filters=32, kernel_size=5, strides=2, activation="relu", padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(32, activation="relu", kernel_regularizer=keras.regularizers.L2())(x)
    output_layer = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs=input_layer, outputs=output_layer)


def balanced_accuracy(y_true, y_pred):
    """Mean per-class recall from the batch's confusion matrix."""
    true_onehot = ops.one_hot(ops.argmax(y_true, axis=1), num_classes)
    pred_onehot = ops.one_hot(ops.argmax(y_pred, axis=1), num_classes)
    cm = ops.matmul(ops.transpose(true_onehot), pred_onehot)
    per_class = ops.diagonal(cm) / ops.maximum(ops.sum(cm, axis=1), 1.0)
    present = ops.cast(ops.sum(cm, axis=1) > 0, "float32")
    return ops.sum(per_class) / ops.maximum(ops.sum(present), 1.0)


conv_model = create_model()
conv_model.summary()

epochs = 2

callbacks = [
    keras.callbacks.ModelCheckpoint("best_model.h5", save_best_only=True, monitor="loss"),
    keras.callbacks.ReduceLROnPlateau(monitor="val_top_k_categorical_accuracy", factor=0.2, patience=2, min_lr=0.000001),
]

optimizer = keras.optimizers.Adam(amsgrad=True, learning_rate=0.001)
loss = keras.losses.CategoricalCrossentropy()

conv_model.compile(
    optimizer=optimizer,
    loss=loss,
    metrics=[
        keras.metrics.TopKCategoricalAccuracy(k=3),
        keras.metrics.AUC(),
        keras.metrics.Precision(),
        keras.metrics.Recall(),
        balanced_accuracy,
    ],
)

conv_model_history = conv_model.fit(
    train_dataset,
    epochs=epochs,
    callbacks=callbacks,
    validation_data=test_dataset,
    class_weight=weight_dict,
    verbose=2,
)

loss, accuracy, auc, precision, recall, bal_acc = conv_model.evaluate(test_dataset, verbose=0)
print(f"Loss : {loss}")
print(f"Top 3 Categorical Accuracy : {accuracy}")
print(f"Balanced accuracy : {bal_acc}")

best_model = keras.models.load_model("best_model.h5", custom_objects={"balanced_accuracy": balanced_accuracy})
preds = best_model.predict(x_test[:4], verbose=0)
print("Predicted classes:", np.argmax(preds, axis=1), "true:", np.argmax(y_test[:4], axis=1))
assert preds.shape == (4, num_classes)
