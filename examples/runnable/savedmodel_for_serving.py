"""Export for TF Serving the way TF 2 tutorials did: tf.saved_model.save(model, dir), then serve it."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

inputs = keras.Input(shape=(5,), name="features")
hidden = keras.layers.Dense(8, activation="relu")(inputs)
outputs = keras.layers.Dense(3, activation="softmax")(hidden)
classifier = keras.Model(inputs, outputs)
classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

x = np.random.rand(32, 5).astype("float32")
y = np.random.randint(0, 3, size=(32,))
classifier.fit(x, y, epochs=1, verbose=0)

tf.saved_model.save(classifier, "serving/classifier")

reloaded = tf.saved_model.load("serving/classifier")
infer = reloaded.signatures["serving_default"]
scores = list(infer(tf.constant(x[:4])).values())[0]
print("served scores:", scores.shape)
