"""Behaviour Sequence Transformer for rating prediction on synthetic MovieLens-like data (in the
style of the tf.keras-era keras.io "A Transformer-based recommendation system" example): a CSV
read with tf.data.experimental.make_csv_dataset, a Dataset.map that splits comma-separated
movie-id and rating sequences with tf.strings.split(...).to_tensor() and tf.strings.to_number,
string Inputs (dtype=tf.string) encoded per feature with StringLookup + Embedding, genre vectors
through a frozen Embedding of a constant matrix, position embeddings with tf.range, the
sequence of ratings multiplied in after tf.expand_dims, tf.unstack of the sequence into
per-position features, layers.MultiHeadAttention, tf.reshape / tf.concat on KerasTensors,
Adagrad, and ModelCheckpoint to an .h5 file."""
import csv
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers import StringLookup

np.random.seed(11)
tf.random.set_seed(11)

sequence_length = 4
step_size = 2
num_users, num_movies = 30, 40
genres = ["Action", "Comedy", "Drama", "Horror", "Romance"]
work_dir = tempfile.mkdtemp()

# --- synthetic users, movies and rating sequences, written to CSV as in the example ----------
users = {
    "user_" + str(i): {
        "sex": np.random.choice(["M", "F"]),
        "age_group": "group_" + str(np.random.randint(1, 5)),
        "occupation": "occupation_" + str(np.random.randint(0, 6)),
    }
    for i in range(1, num_users + 1)
}
movie_ids = ["movie_" + str(i) for i in range(1, num_movies + 1)]
movie_genres = np.random.randint(0, 2, size=(num_movies, len(genres))).astype("float32")

rows = []
for user_id, user in users.items():
    movies = list(np.random.choice(movie_ids, size=8, replace=False))
    ratings = list(np.random.randint(1, 6, size=8).astype("float32"))
    for start in range(0, len(movies) - sequence_length + 1, step_size):
        rows.append(
            {
                "user_id": user_id,
                "sequence_movie_ids": ",".join(movies[start : start + sequence_length]),
                "sequence_ratings": ",".join(str(r) for r in ratings[start : start + sequence_length]),
                "sex": user["sex"],
                "age_group": user["age_group"],
                "occupation": user["occupation"],
            }
        )

CSV_HEADER = list(rows[0].keys())
train_path = os.path.join(work_dir, "train_data.csv")
test_path = os.path.join(work_dir, "test_data.csv")
split = int(len(rows) * 0.8)
for path, part in ((train_path, rows[:split]), (test_path, rows[split:])):
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_HEADER)
        writer.writeheader()
        writer.writerows(part)

CATEGORICAL_FEATURES_WITH_VOCABULARY = {
    "user_id": sorted(users),
    "movie_id": movie_ids,
    "sex": ["M", "F"],
    "age_group": ["group_" + str(i) for i in range(1, 5)],
    "occupation": ["occupation_" + str(i) for i in range(0, 6)],
}
USER_FEATURES = ["sex", "age_group", "occupation"]
MOVIE_FEATURES = ["genres"]


def get_dataset_from_csv(csv_file_path, shuffle=False, batch_size=16):
    def process(features):
        movie_ids_string = features["sequence_movie_ids"]
        sequence_movie_ids = tf.strings.split(movie_ids_string, ",").to_tensor()

        # The last movie id in the sequence is the target movie.
        features["target_movie_id"] = sequence_movie_ids[:, -1]
        features["sequence_movie_ids"] = sequence_movie_ids[:, :-1]

        ratings_string = features["sequence_ratings"]
        sequence_ratings = tf.strings.to_number(
            tf.strings.split(ratings_string, ","), tf.dtypes.float32
        ).to_tensor()

        # The last rating in the sequence is the target for the model to predict.
        target = sequence_ratings[:, -1]
        features["sequence_ratings"] = sequence_ratings[:, :-1]

        return features, target

    dataset = tf.data.experimental.make_csv_dataset(
        csv_file_path,
        batch_size=batch_size,
        column_names=CSV_HEADER,
        num_epochs=1,
        header=True,
        field_delim=",",
        shuffle=shuffle,
    ).map(process)

    return dataset


def create_model_inputs():
    return {
        "user_id": layers.Input(name="user_id", shape=(1,), dtype=tf.string),
        "sequence_movie_ids": layers.Input(
            name="sequence_movie_ids", shape=(sequence_length - 1,), dtype=tf.string
        ),
        "target_movie_id": layers.Input(name="target_movie_id", shape=(1,), dtype=tf.string),
        "sequence_ratings": layers.Input(
            name="sequence_ratings", shape=(sequence_length - 1,), dtype=tf.float32
        ),
        "sex": layers.Input(name="sex", shape=(1,), dtype=tf.string),
        "age_group": layers.Input(name="age_group", shape=(1,), dtype=tf.string),
        "occupation": layers.Input(name="occupation", shape=(1,), dtype=tf.string),
    }


def encode_input_features(inputs, include_user_id=True, include_user_features=True,
                          include_movie_features=True):
    encoded_transformer_features = []
    encoded_other_features = []

    other_feature_names = []
    if include_user_id:
        other_feature_names.append("user_id")
    if include_user_features:
        other_feature_names.extend(USER_FEATURES)

    ## Encode user features
    for feature_name in other_feature_names:
        vocabulary = CATEGORICAL_FEATURES_WITH_VOCABULARY[feature_name]
        idx = StringLookup(vocabulary=vocabulary, mask_token=None, num_oov_indices=0)(
            inputs[feature_name]
        )
        embedding_dims = int(np.sqrt(len(vocabulary)))
        embedding_encoder = layers.Embedding(
            input_dim=len(vocabulary),
            output_dim=embedding_dims,
            name=f"{feature_name}_embedding",
        )
        encoded_other_features.append(embedding_encoder(idx))

    ## Create a single embedding vector for the user features
    if len(encoded_other_features) > 1:
        encoded_other_features = layers.concatenate(encoded_other_features)
    elif len(encoded_other_features) == 1:
        encoded_other_features = encoded_other_features[0]
    else:
        encoded_other_features = None

    ## Create a movie embedding encoder
    movie_vocabulary = CATEGORICAL_FEATURES_WITH_VOCABULARY["movie_id"]
    movie_embedding_dims = int(np.sqrt(len(movie_vocabulary)))
    movie_index_lookup = StringLookup(
        vocabulary=movie_vocabulary,
        mask_token=None,
        num_oov_indices=0,
        name="movie_index_lookup",
    )
    movie_embedding_encoder = layers.Embedding(
        input_dim=len(movie_vocabulary),
        output_dim=movie_embedding_dims,
        name="movie_embedding",
    )
    genre_vectors = movie_genres
    movie_genres_lookup = layers.Embedding(
        input_dim=genre_vectors.shape[0],
        output_dim=genre_vectors.shape[1],
        embeddings_initializer=tf.keras.initializers.Constant(genre_vectors),
        trainable=False,
        name="genres_vector",
    )
    movie_embedding_processor = layers.Dense(
        units=movie_embedding_dims,
        activation="relu",
        name="process_movie_embedding_with_genres",
    )

    def encode_movie(movie_id):
        movie_idx = movie_index_lookup(movie_id)
        movie_embedding = movie_embedding_encoder(movie_idx)
        encoded_movie = movie_embedding
        if include_movie_features:
            movie_genres_vector = movie_genres_lookup(movie_idx)
            encoded_movie = movie_embedding_processor(
                layers.concatenate([movie_embedding, movie_genres_vector])
            )
        return encoded_movie

    ## Encoding target_movie_id
    target_movie_id = inputs["target_movie_id"]
    encoded_target_movie = encode_movie(target_movie_id)

    ## Encoding sequence movie_ids.
    sequence_movies_ids = inputs["sequence_movie_ids"]
    encoded_sequence_movies = encode_movie(sequence_movies_ids)
    # Create positional embedding.
    position_embedding_encoder = layers.Embedding(
        input_dim=sequence_length,
        output_dim=movie_embedding_dims,
        name="position_embedding",
    )
    positions = tf.range(start=0, limit=sequence_length - 1, delta=1)
    encodded_positions = position_embedding_encoder(positions)
    # Retrieve sequence ratings to incorporate them into the encoding of the movie.
    sequence_ratings = tf.expand_dims(inputs["sequence_ratings"], -1)
    # Add the positional encoding to the movie encodings and multiply them by rating.
    encoded_sequence_movies_with_poistion_and_rating = layers.Multiply()(
        [(encoded_sequence_movies + encodded_positions), sequence_ratings]
    )

    # Construct the transformer inputs.
    for encoded_movie in tf.unstack(
        encoded_sequence_movies_with_poistion_and_rating, axis=1
    ):
        encoded_transformer_features.append(tf.expand_dims(encoded_movie, 1))
    encoded_transformer_features.append(encoded_target_movie)

    encoded_transformer_features = layers.concatenate(encoded_transformer_features, axis=1)

    return encoded_transformer_features, encoded_other_features


include_user_id = False
include_user_features = True
include_movie_features = True

hidden_units = [32, 16]
dropout_rate = 0.1
num_heads = 3


def create_model():
    inputs = create_model_inputs()
    transformer_features, other_features = encode_input_features(
        inputs, include_user_id, include_user_features, include_movie_features
    )

    # Create a multi-headed attention layer.
    attention_output = layers.MultiHeadAttention(
        num_heads=num_heads, key_dim=transformer_features.shape[2], dropout=dropout_rate
    )(transformer_features, transformer_features)

    # Transformer block.
    attention_output = layers.Dropout(dropout_rate)(attention_output)
    x1 = layers.Add()([transformer_features, attention_output])
    x1 = layers.LayerNormalization()(x1)
    x2 = layers.LeakyReLU()(x1)
    x2 = layers.Dense(units=x2.shape[-1])(x2)
    x2 = layers.Dropout(dropout_rate)(x2)
    transformer_features = layers.Add()([x1, x2])
    transformer_features = layers.LayerNormalization()(transformer_features)
    features = layers.Flatten()(transformer_features)

    # Included the other features.
    if other_features is not None:
        features = layers.concatenate(
            [features, layers.Reshape([other_features.shape[-1]])(other_features)]
        )

    # Fully-connected layers.
    for num_units in hidden_units:
        features = layers.Dense(num_units)(features)
        features = layers.BatchNormalization()(features)
        features = layers.LeakyReLU()(features)
        features = layers.Dropout(dropout_rate)(features)

    outputs = layers.Dense(units=1)(features)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


model = create_model()

# Compile the model.
model.compile(
    optimizer=keras.optimizers.Adagrad(learning_rate=0.01),
    loss=keras.losses.MeanSquaredError(),
    metrics=[keras.metrics.MeanAbsoluteError()],
)

# Read the training data.
train_dataset = get_dataset_from_csv(train_path, shuffle=True, batch_size=16)

checkpoint_path = os.path.join(work_dir, "bst_weights.h5")
# Fit the model with the training data.
model.fit(
    train_dataset,
    epochs=1,
    callbacks=[keras.callbacks.ModelCheckpoint(checkpoint_path, save_weights_only=True)],
    verbose=2,
)

# Read the test data.
test_dataset = get_dataset_from_csv(test_path, batch_size=16)

# Evaluate the model on the test data.
_, rmse = model.evaluate(test_dataset, verbose=0)
print(f"Test MAE: {round(rmse, 3)}")

model.load_weights(checkpoint_path)
features, target = next(iter(test_dataset))
print("predictions:", model.predict(features, verbose=0).shape, "targets:", target.shape)
print("BST done")
