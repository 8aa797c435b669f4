"""House-price style regression with custom RMSE and R² metric functions (tf.keras era, Kaggle style).

A table of features with the price in its last column (synthetic, as `np.loadtxt` of a CSV would
give it), the target taken as `data[:, -1]` (shape (n,)), a Dense(1) output, and metrics written with
`from tensorflow.keras import backend as K`: `rmse` and `r_square` (coefficient of determination),
next to the built-in "mae". The program checks the reported metrics against NumPy's values from the
model's predictions, as such notebooks print them side by side.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import backend as K

np.random.seed(7)
tf.random.set_seed(7)

# Synthetic "housing" table: 8 features, price in the last column.
n = 600
features = np.random.normal(size=(n, 8)).astype("float32")
weights = np.random.uniform(-2.0, 2.0, size=8).astype("float32")
price = features @ weights + 0.3 * features[:, 0] ** 2 + np.random.normal(scale=0.5, size=n).astype("float32") + 20.0
data = np.column_stack([features, price]).astype("float32")

X = data[:, :-1]
y = data[:, -1]
split = int(0.8 * n)
X_train, X_test = X[:split], X[split:]
y_train, y_test = y[:split], y[split:]
mean, std = X_train.mean(axis=0), X_train.std(axis=0)
X_train = (X_train - mean) / std
X_test = (X_test - mean) / std


def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true)))


def r_square(y_true, y_pred):
    ss_res = K.sum(K.square(y_true - y_pred))
    ss_tot = K.sum(K.square(y_true - K.mean(y_true)))
    return 1 - ss_res / (ss_tot + K.epsilon())


model = keras.Sequential([
    layers.Dense(64, activation="relu", input_shape=(X_train.shape[1],)),
    layers.Dense(32, activation="relu"),
    layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mae", rmse, r_square])
history = model.fit(X_train, y_train, validation_split=0.2, epochs=20, batch_size=32, verbose=0)
print("final val_rmse:", history.history["val_rmse"][-1])

# One batch holding the whole test set: the metrics are those of the test set.
results = model.evaluate(X_test, y_test, batch_size=len(X_test), verbose=0)
test_loss, test_mae, test_rmse, test_r2 = results
pred = model.predict(X_test, verbose=0).ravel()
np_rmse = float(np.sqrt(np.mean((pred - y_test) ** 2)))
np_r2 = float(1 - np.sum((y_test - pred) ** 2) / np.sum((y_test - y_test.mean()) ** 2))
print(f"test rmse {test_rmse:.4f} (numpy {np_rmse:.4f}), r2 {test_r2:.4f} (numpy {np_r2:.4f}), mae {test_mae:.4f}")
assert abs(test_rmse - np_rmse) < 1e-3 * max(1.0, np_rmse), (test_rmse, np_rmse)
assert abs(test_r2 - np_r2) < 1e-3, (test_r2, np_r2)
print("ok")
