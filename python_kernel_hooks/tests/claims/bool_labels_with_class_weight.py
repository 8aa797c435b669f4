# A tf.data map that makes bool labels (the keras.io X-ray example's `parts[-2] == "PNEUMONIA"`),
# fitted with class_weight: Keras 3 turns class weights into sample weights with tf.round on the
# labels, which rejects bool ("DataType bool not in list of allowed values") on every backend.
import numpy as np
import tensorflow as tf
import keras

paths = [f"data/{'PNEUMONIA' if i % 3 else 'NORMAL'}/{i}.jpeg" for i in range(16)]
images = np.random.rand(16, 4).astype("float32")


def get_label(path):
    parts = tf.strings.split(path, "/")
    return parts[-2] == "PNEUMONIA"


def process(image, path):
    return image, get_label(path)


train_ds = tf.data.Dataset.from_tensor_slices((images, paths)).map(process).batch(8)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(train_ds, epochs=1, class_weight={0: 1.5, 1: 0.75}, verbose=0)
