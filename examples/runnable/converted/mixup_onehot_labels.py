"""Hand conversion: `to_categorical` returns float64 in Keras 3, so its result is cast to the float32 Keras 2
returned before it meets the float32 Beta weights in tf.data; Keras imported as `keras`."""
import numpy as np
import tensorflow as tf
import keras
from keras.utils import to_categorical

NUM_CLASSES = 4
x_train = np.random.rand(64, 8, 8, 1).astype("float32")
y_train = to_categorical(np.random.randint(0, NUM_CLASSES, size=(64,)), NUM_CLASSES).astype("float32")


def sample_beta(size, alpha=0.2):
    g1 = tf.random.gamma(shape=[size], alpha=alpha)
    g2 = tf.random.gamma(shape=[size], alpha=alpha)
    return g1 / (g1 + g2)


def mix_up(ds_one, ds_two, alpha=0.2):
    (images_one, labels_one), (images_two, labels_two) = ds_one, ds_two
    batch_size = tf.shape(images_one)[0]
    lam = sample_beta(batch_size, alpha)
    x_l = tf.reshape(lam, (batch_size, 1, 1, 1))
    y_l = tf.reshape(lam, (batch_size, 1))
    images = images_one * x_l + images_two * (1 - x_l)
    labels = labels_one * y_l + labels_two * (1 - y_l)
    return images, labels


train_one = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(64).batch(16)
train_two = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(64).batch(16)
train_ds = tf.data.Dataset.zip((train_one, train_two)).map(lambda a, b: mix_up(a, b))

model = keras.Sequential([
    keras.Input(shape=(8, 8, 1)),
    keras.layers.Flatten(),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(NUM_CLASSES, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(train_ds, epochs=2, verbose=0)
print("loss", history.history["loss"][-1])
