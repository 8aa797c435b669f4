"""Text classification from raw strings: TextVectorization adapted on the data, applied in tf.data."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers import TextVectorization

words = ["good", "bad", "movie", "great", "awful", "plot", "actor", "boring", "fun", "the"]
rng = np.random.RandomState(0)
texts = np.array([" ".join(rng.choice(words, size=8)) for _ in range(80)])
labels = np.array([int("good" in t or "great" in t) for t in texts])

max_features, sequence_length = 50, 8
vectorize_layer = TextVectorization(max_tokens=max_features, output_mode="int",
                                    output_sequence_length=sequence_length)
raw_train_ds = tf.data.Dataset.from_tensor_slices((texts, labels)).batch(16)
vectorize_layer.adapt(raw_train_ds.map(lambda x, y: x))


def vectorize_text(text, label):
    text = tf.expand_dims(text, -1)
    return vectorize_layer(text), label


train_ds = raw_train_ds.map(vectorize_text).cache().prefetch(buffer_size=tf.data.AUTOTUNE)

model = keras.Sequential([
    layers.Embedding(max_features + 1, 8),
    layers.Dropout(0.2),
    layers.GlobalAveragePooling1D(),
    layers.Dense(1),
])
model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True), optimizer="adam",
              metrics=tf.metrics.BinaryAccuracy(threshold=0.0))
model.fit(train_ds, epochs=2, verbose=0)

export_model = keras.Sequential([vectorize_layer, model, layers.Activation("sigmoid")])
export_model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=False), optimizer="adam", metrics=["accuracy"])
print(export_model.predict(tf.constant(["great movie the plot was fun"]), verbose=0))
