"""Timeseries classification with a Transformer encoder (keras.io, tf.keras era).

In the style of the tf.keras-era keras.io "Timeseries classification with a Transformer model"
and "Timeseries classification from scratch": FordA-like univariate series (synthetic here)
reshaped to (samples, timesteps, 1), labels -1/1 remapped to 0/1, a functional
transformer_encoder() with LayerNormalization(epsilon=1e-6), MultiHeadAttention(key_dim=...,
num_heads=..., dropout=...), residual `x + inputs` on KerasTensors and Conv1D feed-forward
(filters=inputs.shape[-1]), GlobalAveragePooling1D(data_format="channels_first"), an MLP head,
callbacks ModelCheckpoint("best_model.h5", save_best_only=True), EarlyStopping(
restore_best_weights=True) and ReduceLROnPlateau, then keras.models.load_model("best_model.h5")
and evaluate.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

np.random.seed(1)
tf.random.set_seed(1)


def make_series(n, length=64):
    t = np.linspace(0, 1, length)
    y = np.random.choice([-1, 1], size=n)
    freq = np.where(y == 1, 6.0, 3.0)
    x = np.sin(2 * np.pi * freq[:, None] * t[None, :] + np.random.uniform(0, 6.28, (n, 1)))
    x += np.random.normal(0, 0.4, x.shape)
    return x.astype("float32"), y


x_train, y_train = make_series(240)
x_test, y_test = make_series(60)

x_train = x_train.reshape((x_train.shape[0], x_train.shape[1], 1))
x_test = x_test.reshape((x_test.shape[0], x_test.shape[1], 1))

n_classes = len(np.unique(y_train))

idx = np.random.permutation(len(x_train))
x_train = x_train[idx]
y_train = y_train[idx]

y_train[y_train == -1] = 0
y_test[y_test == -1] = 0


def transformer_encoder(inputs, head_size, num_heads, ff_dim, dropout=0):
    # Attention and Normalization
    x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads, dropout=dropout)(inputs, inputs)
    x = layers.Dropout(dropout)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    res = x + inputs

    # Feed Forward Part
    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
    x = layers.Dropout(dropout)(x)
    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    return x + res


def build_model(input_shape, head_size, num_heads, ff_dim, num_transformer_blocks, mlp_units, dropout=0, mlp_dropout=0):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for _ in range(num_transformer_blocks):
        x = transformer_encoder(x, head_size, num_heads, ff_dim, dropout)

    x = layers.GlobalAveragePooling1D(data_format="channels_first")(x)
    for dim in mlp_units:
        x = layers.Dense(dim, activation="relu")(x)
        x = layers.Dropout(mlp_dropout)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


input_shape = x_train.shape[1:]

model = build_model(
    input_shape,
    head_size=16,
    num_heads=2,
    ff_dim=4,
    num_transformer_blocks=2,
    mlp_units=[32],
    mlp_dropout=0.2,
    dropout=0.1,
)

model.compile(
    loss="sparse_categorical_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    metrics=["sparse_categorical_accuracy"],
)
model.summary()

callbacks = [
    keras.callbacks.ModelCheckpoint("best_model.h5", save_best_only=True, monitor="val_loss"),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, min_lr=0.0001),
    keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True),
]

history = model.fit(
    x_train,
    y_train,
    validation_split=0.2,
    epochs=4,
    batch_size=32,
    callbacks=callbacks,
    verbose=2,
)

model.evaluate(x_test, y_test, verbose=1)

best_model = keras.models.load_model("best_model.h5")
test_loss, test_acc = best_model.evaluate(x_test, y_test, verbose=0)
print("Test accuracy", test_acc)
print("Test loss", test_loss)
metric = "sparse_categorical_accuracy"
print("best val", max(history.history["val_" + metric]))
