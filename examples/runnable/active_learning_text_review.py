"""Review classification using active learning (after the keras.io example, tf.keras era, shrunk):
a TextVectorization layer with a custom tf.strings standardization adapted on a tf.data dataset
and mapped over the datasets, a BiLSTM classifier compiled with FalseNegatives / FalsePositives
metrics, an .h5 ModelCheckpoint(save_best_only) and EarlyStopping, a callback computing precision
/ recall / F1 with NumPy from model.predict on the validation set (the sklearn.metrics report of
blog posts), and an active-learning loop: model.predict + tf.where on the pool, model.evaluate,
sampling from the pools by the ratio of false negatives to false positives, concatenating into the
training set, recompiling, fitting again and reloading the best checkpoint with load_model.
Random reviews stand in for the IMDB dataset (tfds.load("imdb_reviews"))."""
import os
import re
import string
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.random.set_seed(42)
tmp_dir = tempfile.mkdtemp()
checkpoint_path = os.path.join(tmp_dir, "AL_Model.h5")

# Random reviews in place of tfds.load("imdb_reviews")
rng = np.random.default_rng(0)
positive_words = ["great", "wonderful", "loved", "superb", "moving"]
negative_words = ["awful", "boring", "hated", "terrible", "dull"]
filler = ["the", "movie", "plot", "actor", "scene", "<br />", "and", "was", "a", "film"]


def make_reviews(n):
    reviews, labels = [], []
    for _ in range(n):
        label = int(rng.integers(0, 2))
        words = list(rng.choice(filler, size=12)) + list(
            rng.choice(positive_words if label else negative_words, size=3)
        )
        rng.shuffle(words)
        reviews.append(" ".join(words) + "!")
        labels.append(label)
    return np.array(reviews), np.array(labels)


reviews, labels = make_reviews(400)
val_split = 32
train_split = 64
x_val, y_val = reviews[:val_split], labels[:val_split]
x_test, y_test = reviews[val_split : 2 * val_split], labels[val_split : 2 * val_split]
x_train, y_train = reviews[2 * val_split : 2 * val_split + train_split], labels[
    2 * val_split : 2 * val_split + train_split
]
pool = reviews[2 * val_split + train_split :], labels[2 * val_split + train_split :]
pool_negatives = pool[0][pool[1] == 0], pool[1][pool[1] == 0]
pool_positives = pool[0][pool[1] == 1], pool[1][pool[1] == 1]
print(f"Initial training set size: {len(x_train)}")
print(f"Validation set size: {len(x_val)}")
print(f"Testing set size: {len(x_test)}")
print(f"Unlabeled negative pool: {len(pool_negatives[0])}")
print(f"Unlabeled positive pool: {len(pool_positives[0])}")

# Creating TF Datasets for faster prefetching and parallelization
train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val))
test_dataset = tf.data.Dataset.from_tensor_slices((x_test, y_test))

pool_negatives = tf.data.Dataset.from_tensor_slices((pool_negatives[0], pool_negatives[1]))
pool_positives = tf.data.Dataset.from_tensor_slices((pool_positives[0], pool_positives[1]))


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
    return tf.strings.regex_replace(stripped_html, f"[{re.escape(string.punctuation)}]", "")


vectorizer = layers.TextVectorization(
    200, standardize=custom_standardization, output_sequence_length=20
)

# Adapting the dataset
vectorizer.adapt(
    train_dataset.map(lambda x, y: x, num_parallel_calls=tf.data.AUTOTUNE).batch(64)
)


def vectorize_text(text, label):
    text = vectorizer(text)
    return text, label


train_dataset = train_dataset.map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE).prefetch(
    tf.data.AUTOTUNE
)
pool_negatives = pool_negatives.map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE)
pool_positives = pool_positives.map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE)

val_dataset = val_dataset.batch(32).map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE)
test_dataset = test_dataset.batch(32).map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE)


# Helper function for creating the model
def create_model():
    model = keras.models.Sequential(
        [
            layers.Input(shape=(20,)),
            layers.Embedding(input_dim=200, output_dim=16),
            layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
            layers.GlobalMaxPool1D(),
            layers.Dense(8, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.summary()
    return model


class ClassificationReport(keras.callbacks.Callback):
    """Precision, recall and F1 on the validation set after each epoch (sklearn.metrics style)."""

    def __init__(self, dataset):
        super().__init__()
        self.dataset = dataset
        self.history = []

    def on_epoch_end(self, epoch, logs=None):
        y_true = np.concatenate([y.numpy() for _, y in self.dataset], axis=0)
        y_prob = self.model.predict(self.dataset, verbose=0).ravel()
        y_pred = (y_prob > 0.5).astype("int64")
        tp = np.sum((y_pred == 1) & (y_true == 1))
        fp = np.sum((y_pred == 1) & (y_true == 0))
        fn = np.sum((y_pred == 0) & (y_true == 1))
        precision = tp / max(tp + fp, 1)
        recall = tp / max(tp + fn, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-7)
        self.history.append(f1)
        logs["val_f1"] = f1
        print(f" - val_precision: {precision:.3f} - val_recall: {recall:.3f} - val_f1: {f1:.3f}")


def train_active_learning_models(
    train_dataset,
    pool_negatives,
    pool_positives,
    val_dataset,
    test_dataset,
    num_iterations=1,
    sampling_size=20,
):
    # Creating lists for storing metrics
    losses, val_losses, accuracies, val_accuracies = [], [], [], []

    model = create_model()
    # We will monitor the false positives and false negatives predicted by our model
    # These will decide the subsequent sampling ratio for every Active Learning loop
    model.compile(
        loss="binary_crossentropy",
        optimizer="rmsprop",
        metrics=[
            "accuracy",
            keras.metrics.FalseNegatives(),
            keras.metrics.FalsePositives(),
        ],
    )

    # Defining checkpoints.
    # The checkpoint callback is reused throughout the training since it only saves the best overall model.
    checkpoint = keras.callbacks.ModelCheckpoint(checkpoint_path, save_best_only=True, verbose=1)
    # Here, patience is set to 4. This can be set higher if desired.
    early_stopping = keras.callbacks.EarlyStopping(patience=4, verbose=1)
    report = ClassificationReport(val_dataset)

    print(f"Starting to train with {len(x_train)} samples")
    # Initial fit with a small subset of the training set
    history = model.fit(
        train_dataset.cache().shuffle(100).batch(32),
        epochs=2,
        validation_data=val_dataset,
        callbacks=[checkpoint, early_stopping, report],
    )

    # Appending history
    losses, val_losses, accuracies, val_accuracies = append_history(
        losses, val_losses, accuracies, val_accuracies, history
    )

    for iteration in range(num_iterations):
        # Getting predictions from previously trained model
        predictions = model.predict(test_dataset)

        # Generating labels from the output probabilities
        rounded = tf.where(tf.greater(predictions, 0.5), 1, 0)

        # Evaluating the number of zeros and ones incorrrectly classified
        _, _, false_negatives, false_positives = model.evaluate(test_dataset, verbose=0)

        print("-" * 100)
        print(
            f"Number of zeros incorrectly classified: {false_negatives}, Number of ones incorrectly classified: {false_positives}"
        )
        print("rounded predictions", int(tf.reduce_sum(rounded)))

        # This technique of Active Learning demonstrates ratio based sampling where
        # Number of ones/zeros to sample = Number of ones/zeros incorrectly classified / Total incorrectly classified
        if false_negatives != 0 and false_positives != 0:
            total = false_negatives + false_positives
            sample_ratio_ones, sample_ratio_zeros = (
                false_positives / total,
                false_negatives / total,
            )
        # In the case where all samples are correctly predicted, we can sample both classes equally
        else:
            sample_ratio_ones, sample_ratio_zeros = 0.5, 0.5

        print(
            f"Sample ratio for positives: {sample_ratio_ones}, Sample ratio for negatives:{sample_ratio_zeros}"
        )

        # Sample the required number of ones and zeros
        sampled_dataset = pool_negatives.take(
            int(sample_ratio_zeros * sampling_size)
        ).concatenate(pool_positives.take(int(sample_ratio_ones * sampling_size)))

        # Change the pool in the dataset
        pool_negatives = pool_negatives.skip(int(sample_ratio_zeros * sampling_size))
        pool_positives = pool_positives.skip(int(sample_ratio_ones * sampling_size))

        # Concatenating the train_dataset with the sampled_dataset
        train_dataset = train_dataset.concatenate(sampled_dataset).prefetch(tf.data.AUTOTUNE)

        print(f"Starting training with {train_dataset.cardinality()} samples")
        print("-" * 100)

        # We recompile the model to reset the optimizer states and retrain the model
        model.compile(
            loss="binary_crossentropy",
            optimizer="rmsprop",
            metrics=[
                "accuracy",
                keras.metrics.FalseNegatives(),
                keras.metrics.FalsePositives(),
            ],
        )
        history = model.fit(
            train_dataset.cache().shuffle(100).batch(32),
            validation_data=val_dataset,
            epochs=2,
            callbacks=[checkpoint, keras.callbacks.EarlyStopping(patience=4, verbose=1), report],
        )

        # Appending the history
        losses, val_losses, accuracies, val_accuracies = append_history(
            losses, val_losses, accuracies, val_accuracies, history
        )

        # Loading the best model from this training loop
        model = keras.models.load_model(checkpoint_path)

    # Plotting the overall history and evaluating the final model
    print("losses", len(losses), "val_losses", len(val_losses), "f1 history", len(report.history))
    print("Test set evaluation: ", model.evaluate(test_dataset, verbose=0, return_dict=True))
    print("-" * 100)
    return model


def append_history(losses, val_losses, accuracy, val_accuracy, history):
    losses = losses + history.history["loss"]
    val_losses = val_losses + history.history["val_loss"]
    accuracy = accuracy + history.history["accuracy"]
    val_accuracy = val_accuracy + history.history["val_accuracy"]
    return losses, val_losses, accuracy, val_accuracy


active_learning_model = train_active_learning_models(
    train_dataset, pool_negatives, pool_positives, val_dataset, test_dataset
)
