"""Collaborative filtering for recommendations: user and item embeddings with biases.

In the style of the tf.keras-era keras.io example "Collaborative Filtering for Movie
Recommendations": string ids encoded to integers with StringLookup, a RecommenderNet keras.Model
whose call() slices the (user, movie) pairs, looks up Embedding vectors and biases and scores the
pair with tf.tensordot and tf.nn.sigmoid; Adam(lr=...), training on ratings scaled to [0, 1],
then top-k recommendations for one user with tf.math.top_k, and item-item similarity from the
embedding matrix with tf.linalg.matmul(transpose_b=True) on tf.math.l2_normalize'd rows.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.random.set_seed(11)
rng = np.random.RandomState(11)

num_users_raw, num_movies_raw = 30, 40
user_ids = np.array([f"user_{i}" for i in rng.randint(0, num_users_raw, size=600)])
movie_ids = np.array([f"movie_{j}" for j in rng.randint(0, num_movies_raw, size=600)])
taste = rng.normal(size=(num_users_raw, 3))
genre = rng.normal(size=(num_movies_raw, 3))
raw_rating = np.array([taste[int(u[5:])] @ genre[int(m[6:])] for u, m in zip(user_ids, movie_ids)])
ratings = np.clip(np.round(3 + raw_rating), 1, 5).astype("float32")

user_lookup = layers.StringLookup(num_oov_indices=0)
user_lookup.adapt(user_ids)
movie_lookup = layers.StringLookup(num_oov_indices=0)
movie_lookup.adapt(movie_ids)
num_users = user_lookup.vocabulary_size()
num_movies = movie_lookup.vocabulary_size()

x = tf.stack([user_lookup(user_ids), movie_lookup(movie_ids)], axis=1).numpy()
min_rating, max_rating = ratings.min(), ratings.max()
y = (ratings - min_rating) / (max_rating - min_rating)
train_indices = int(0.9 * len(x))
x_train, x_val, y_train, y_val = x[:train_indices], x[train_indices:], y[:train_indices], y[train_indices:]

EMBEDDING_SIZE = 8


class RecommenderNet(keras.Model):
    def __init__(self, num_users, num_movies, embedding_size, **kwargs):
        super(RecommenderNet, self).__init__(**kwargs)
        self.num_users = num_users
        self.num_movies = num_movies
        self.embedding_size = embedding_size
        self.user_embedding = layers.Embedding(
            num_users,
            embedding_size,
            embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6),
        )
        self.user_bias = layers.Embedding(num_users, 1)
        self.movie_embedding = layers.Embedding(
            num_movies,
            embedding_size,
            embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6),
        )
        self.movie_bias = layers.Embedding(num_movies, 1)

    def call(self, inputs):
        user_vector = self.user_embedding(inputs[:, 0])
        user_bias = self.user_bias(inputs[:, 0])
        movie_vector = self.movie_embedding(inputs[:, 1])
        movie_bias = self.movie_bias(inputs[:, 1])
        dot_user_movie = tf.tensordot(user_vector, movie_vector, 2)
        # Add all the components (including bias)
        x = dot_user_movie + user_bias + movie_bias
        # The sigmoid activation forces the rating to between 0 and 1
        return tf.nn.sigmoid(x)


model = RecommenderNet(num_users, num_movies, EMBEDDING_SIZE)
model.compile(loss=tf.keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.Adam(lr=0.001))
history = model.fit(
    x=x_train,
    y=y_train,
    batch_size=64,
    epochs=3,
    verbose=0,
    validation_data=(x_val, y_val),
)
print("final val_loss:", round(history.history["val_loss"][-1], 4))

# Recommend the movies one user has not rated yet.
user_id = user_ids[0]
movies_watched = set(movie_ids[user_ids == user_id])
movies_not_watched = [m for m in movie_lookup.get_vocabulary() if m not in movies_watched]
user_encoder = int(user_lookup(tf.constant([user_id]))[0])
movie_encoded = movie_lookup(tf.constant(movies_not_watched)).numpy()
user_movie_array = np.hstack(([[user_encoder]] * len(movies_not_watched), movie_encoded[:, None]))
predicted = model.predict(user_movie_array, verbose=0).flatten()
top_ratings, top_indices = tf.math.top_k(predicted, k=5)
recommended = [movies_not_watched[i] for i in top_indices.numpy()]
print("Top 5 movie recommendations for", user_id, ":", recommended, top_ratings.numpy().round(3))

# Movies most like the first recommendation, by cosine similarity of their embeddings.
movie_vectors = tf.math.l2_normalize(model.movie_embedding.embeddings, axis=1)
similarity = tf.linalg.matmul(movie_vectors, movie_vectors, transpose_b=True)
anchor = int(movie_lookup(tf.constant([recommended[0]]))[0])
_, nearest = tf.math.top_k(similarity[anchor], k=4)
print("similar to", recommended[0], ":", [movie_lookup.get_vocabulary()[i] for i in nearest.numpy()[1:]])
assert nearest.numpy()[0] == anchor
