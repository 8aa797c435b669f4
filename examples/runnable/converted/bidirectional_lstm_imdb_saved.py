"""Bidirectional LSTM on IMDB-like integer sequences (keras.io, tf.keras era).

Variable-length reviews padded with keras.utils.pad_sequences, a
stacked Bidirectional LSTM, a checkpoint callback, then the model saved in the
native .keras format and reloaded for evaluation and prediction.
"""
import os
import tempfile

import numpy as np
import keras
from keras import layers

max_features = 2000  # Only consider the top 2k words
maxlen = 40  # Only consider the first 40 words of each movie review

# Synthetic "IMDB": lists of word indices of varying length, label from a keyword.
rng = np.random.RandomState(1)


def make_reviews(n):
    reviews, labels = [], []
    for _ in range(n):
        length = rng.randint(10, 80)
        review = list(rng.randint(4, max_features, size=length))
        label = rng.randint(0, 2)
        if label:
            review[rng.randint(0, min(length, maxlen))] = 3
        reviews.append(review)
        labels.append(label)
    return np.array(reviews, dtype=object), np.array(labels)


(x_train, y_train), (x_val, y_val) = make_reviews(128), make_reviews(32)
print(len(x_train), "Training sequences")
print(len(x_val), "Validation sequences")
x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen)
x_val = keras.utils.pad_sequences(x_val, maxlen=maxlen)

# Input for variable-length sequences of integers
inputs = keras.Input(shape=(None,), dtype="int32")
# Embed each integer in a 32-dimensional vector
x = layers.Embedding(max_features, 32)(inputs)
# Add 2 bidirectional LSTMs
x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
x = layers.Bidirectional(layers.LSTM(16))(x)
# Add a classifier
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.summary()

workdir = tempfile.mkdtemp()
checkpoint_path = os.path.join(workdir, "bilstm.weights.h5")
checkpoint = keras.callbacks.ModelCheckpoint(
    checkpoint_path, save_weights_only=True, save_best_only=True, monitor="val_loss"
)

model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
model.fit(
    x_train,
    y_train,
    batch_size=32,
    epochs=1,
    validation_data=(x_val, y_val),
    callbacks=[checkpoint],
    verbose=2,
)
model.load_weights(checkpoint_path)

export_dir = os.path.join(workdir, "bilstm_model.keras")
model.save(export_dir)
reloaded = keras.models.load_model(export_dir)
loss, acc = reloaded.evaluate(x_val, y_val, verbose=0)
print("reloaded val loss %.4f acc %.4f" % (loss, acc))

new_reviews = [[5, 17, 3, 900], [44, 45, 46]]
padded = keras.utils.pad_sequences(
    new_reviews, maxlen=maxlen, padding="post", truncating="post"
)
probs = reloaded.predict(padded)
np.testing.assert_allclose(probs, model.predict(padded), atol=1e-5)
print("predictions", probs.ravel())
