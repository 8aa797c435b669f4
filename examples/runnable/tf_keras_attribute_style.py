"""The TensorFlow tutorial style: everything spelled tf.keras.*, no keras import at all."""
import numpy as np
import tensorflow as tf

print("TensorFlow version:", tf.__version__)

x_train = np.random.rand(120, 8, 8).astype("float32")
y_train = np.random.randint(0, 10, size=(120,))
x_test, y_test = x_train[:20], y_train[:20]

model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(8, 8)),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dropout(0.2),
    tf.keras.layers.Dense(10),
])
predictions = model(x_train[:1]).numpy()
print(tf.nn.softmax(predictions).numpy())

loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
print(loss_fn(y_train[:1], predictions).numpy())

model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.001), loss=loss_fn, metrics=["accuracy"])
model.fit(x_train, y_train, epochs=2, verbose=0,
          callbacks=[tf.keras.callbacks.EarlyStopping(monitor="loss", patience=1)])
model.evaluate(x_test, y_test, verbose=2)

probability_model = tf.keras.Sequential([model, tf.keras.layers.Softmax()])
print(probability_model(x_test[:5]).numpy().argmax(axis=1))

y_onehot = tf.keras.utils.to_categorical(y_train, num_classes=10)
print(y_onehot.shape, tf.keras.backend.floatx())
