"""Hand conversion to multi-backend Keras 3: the StringLookup, Hashing and IntegerLookup layers
run in the tf.data pipeline (JAX and PyTorch have no string tensors, and these layers use
TensorFlow), the model's inputs take their integer outputs.

Rating prediction from separately named string inputs (in the style of the TensorFlow
Recommenders ranking tutorial and tf.keras-era keras.io recommenders): keras.Input(name=...,
dtype=tf.string) per id column, keras.Sequential([StringLookup(vocabulary=...), Embedding])
encoders made by a helper and applied to the string inputs, a Hashing layer (num_bins) applied to
another string input before its Embedding, an IntegerLookup on an int64 input, the model built
from a list of inputs; trained on a tf.data dataset of a dict of columns, predicted on a dict of
tf.constant rows.
"""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.RandomState(5)
n = 600
user_ids = [f"u{i}" for i in range(30)]
movie_titles = [f"movie {i}" for i in range(45)]
zip_codes = [f"{10000 + 37 * i}" for i in range(20)]
user_taste = rng.normal(size=(len(user_ids), 3))
movie_style = rng.normal(size=(len(movie_titles), 3))

u = rng.randint(0, len(user_ids), n)
m = rng.randint(0, len(movie_titles), n)
ratings = np.clip(3 + (user_taste[u] * movie_style[m]).sum(axis=1), 1, 5).astype("float32")
columns = {
    "user_id": np.array(user_ids, dtype=object)[u],
    "movie_title": np.array(movie_titles, dtype=object)[m],
    "zip_code": np.array(zip_codes, dtype=object)[rng.randint(0, len(zip_codes), n)],
    "age_group": rng.choice([18, 25, 35, 45, 56], size=n).astype("int64"),
}
user_lookup = layers.StringLookup(vocabulary=user_ids, mask_token=None)
movie_lookup = layers.StringLookup(vocabulary=movie_titles, mask_token=None)
zip_hashing = layers.Hashing(num_bins=16)
age_lookup = layers.IntegerLookup(vocabulary=[18, 25, 35, 45, 56])


def lookup_features(features, *rest):
    features = {
        "age_group": age_lookup(features["age_group"]),
        "movie_title": movie_lookup(features["movie_title"]),
        "user_id": user_lookup(features["user_id"]),
        "zip_code": zip_hashing(features["zip_code"]),
    }
    return (features, *rest) if rest else features


dataset = tf.data.Dataset.from_tensor_slices((columns, ratings)).map(lookup_features)
train = dataset.take(480).shuffle(480, seed=1).batch(64)
test = dataset.skip(480).batch(64)


def id_encoder(vocabulary, dim):
    # The ids arrive as the lookup's indices.
    return keras.Sequential([layers.Embedding(len(vocabulary) + 1, dim)])


user_id = keras.Input(shape=(), name="user_id", dtype="int64")
movie_title = keras.Input(shape=(), name="movie_title", dtype="int64")
zip_code = keras.Input(shape=(), name="zip_code", dtype="int64")
age_group = keras.Input(shape=(), name="age_group", dtype="int64")

user_embedding = id_encoder(user_ids, 16)(user_id)
movie_embedding = id_encoder(movie_titles, 16)(movie_title)
zip_embedding = layers.Embedding(16, 4)(zip_code)
age_embedding = layers.Embedding(6, 2)(age_group)

x = layers.concatenate([user_embedding, movie_embedding, zip_embedding, age_embedding])
x = layers.Dense(32, activation="relu")(x)
x = layers.Dense(16, activation="relu")(x)
rating = layers.Dense(1)(x)
model = keras.Model(inputs=[user_id, movie_title, zip_code, age_group], outputs=rating)
model.compile(optimizer=keras.optimizers.Adagrad(learning_rate=0.1), loss="mse", metrics=[keras.metrics.RootMeanSquaredError()])
model.fit(train, epochs=3, verbose=2)
print("test RMSE:", model.evaluate(test, verbose=0)[1])

sample = {
    "user_id": tf.constant(["u3", "u7"]),
    "movie_title": tf.constant(["movie 4", "movie 40"]),
    "zip_code": tf.constant(["10037", "10111"]),
    "age_group": tf.constant([25, 45], dtype=tf.int64),
}
print("predicted ratings:", model.predict(lookup_features(sample), verbose=0).ravel())
