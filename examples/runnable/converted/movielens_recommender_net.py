"""Collaborative filtering for movie recommendations (keras.io, tf.keras era), on synthetic ratings.

RecommenderNet: user and movie Embeddings, dot product with tf.tensordot, biases, tf.nn.sigmoid.
Weights saved in the TensorFlow checkpoint format and reloaded into a fresh model.

(Hand conversion to Keras 3, runs on tensorflow, jax and torch: keras.ops.tensordot / ops.sigmoid
in call(); save_weights needs a `.weights.h5` file name (the TF checkpoint format is gone);
the similarity search in numpy.)
"""
import numpy as np
import keras
from keras import layers, ops

rng = np.random.default_rng(42)
num_ratings = 400
user_ids = rng.integers(1, 31, size=num_ratings)
movie_ids = rng.integers(100, 160, size=num_ratings)
ratings = rng.integers(1, 11, size=num_ratings) / 2.0

user_ids_unique = sorted(set(user_ids.tolist()))
movie_ids_unique = sorted(set(movie_ids.tolist()))
user2user_encoded = {x: i for i, x in enumerate(user_ids_unique)}
movie2movie_encoded = {x: i for i, x in enumerate(movie_ids_unique)}
movie_encoded2movie = {i: x for i, x in enumerate(movie_ids_unique)}
num_users = len(user2user_encoded)
num_movies = len(movie_encoded2movie)

min_rating, max_rating = ratings.min(), ratings.max()
print("Number of users: {}, Number of Movies: {}, Min rating: {}, Max rating: {}".format(
    num_users, num_movies, min_rating, max_rating))

x = np.array([[user2user_encoded[u], movie2movie_encoded[m]] for u, m in zip(user_ids, movie_ids)])
y = (ratings - min_rating) / (max_rating - min_rating)
train_indices = int(0.9 * num_ratings)
x_train, x_val, y_train, y_val = x[:train_indices], x[train_indices:], y[:train_indices], y[train_indices:]

EMBEDDING_SIZE = 8


class RecommenderNet(keras.Model):
    def __init__(self, num_users, num_movies, embedding_size, **kwargs):
        super().__init__(**kwargs)
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
        dot_user_movie = ops.tensordot(user_vector, movie_vector, 2)
        # Add all the components (including bias)
        x = dot_user_movie + user_bias + movie_bias
        # The sigmoid activation forces the rating to between 0 and 1
        return ops.sigmoid(x)


model = RecommenderNet(num_users, num_movies, EMBEDDING_SIZE)
model.compile(loss=keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.Adam(learning_rate=0.001))

history = model.fit(
    x=x_train,
    y=y_train,
    batch_size=64,
    epochs=1,
    verbose=1,
    validation_data=(x_val, y_val),
)
print("val_loss:", history.history["val_loss"][-1])

# Checkpoint the subclassed model (TensorFlow format) and restore it into a new instance.
model.save_weights("recommender.weights.h5")
restored = RecommenderNet(num_users, num_movies, EMBEDDING_SIZE)
restored(x_val[:1])
restored.load_weights("recommender.weights.h5")

# Top 5 recommendations for one user, among the movies they have not rated.
user_id = user_ids[0]
movies_watched = set(movie_ids[user_ids == user_id].tolist())
movies_not_watched = [m for m in movie_ids_unique if m not in movies_watched]
movies_not_watched = [[movie2movie_encoded.get(m)] for m in movies_not_watched]
user_encoder = user2user_encoded.get(user_id)
user_movie_array = np.hstack(([[user_encoder]] * len(movies_not_watched), movies_not_watched))
predicted = restored.predict(user_movie_array).flatten()
reference = model.predict(user_movie_array).flatten()
np.testing.assert_allclose(predicted, reference, rtol=1e-5, atol=1e-6)
top_ratings_indices = predicted.argsort()[-5:][::-1]
recommended_movie_ids = [movie_encoded2movie.get(movies_not_watched[x][0]) for x in top_ratings_indices]
print("Top 5 movie recommendations for user {}: {}".format(user_id, recommended_movie_ids))

# Nearest movies in embedding space
movie_embeddings = model.movie_embedding.get_weights()[0]
normalized = movie_embeddings / np.linalg.norm(movie_embeddings, axis=1, keepdims=True)
similarities = normalized @ normalized.T
print("closest to movie 0:", np.argsort(-similarities[0])[:3])
