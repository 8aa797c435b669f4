"""keras.io "Large-scale multi-label text classification" (tf.keras version) on synthetic arXiv-style
abstracts with lists of subject terms instead of the CSV: StringLookup(output_mode="multi_hot")
adapted on tf.ragged.constant(term lists) and applied outside tf.data with .numpy(), an
invert_multi_hot helper with np.argwhere / np.take on the vocabulary, make_dataset() with
tf.data.Dataset.from_tensor_slices((abstracts, multi-hot labels)), a bigram TextVectorization
(output_mode="tf_idf") adapted under tf.device("/CPU:0") and applied in dataset.map with
num_parallel_calls=tf.data.AUTOTUNE, a shallow MLP Sequential with lookup.vocabulary_size() sigmoid
outputs, and an inference Sequential([text_vectorizer, shallow_mlp_model]) predicting on a batch of
raw strings taken from the dataset."""
import keras
import numpy as np
import tensorflow as tf
from keras import layers

"""
## Synthetic data
"""

rng = np.random.RandomState(42)
term_words = {
    "cs.LG": ["learning", "gradient", "network", "training", "loss"],
    "cs.CV": ["image", "pixel", "segmentation", "convolution", "detection"],
    "stat.ML": ["bayesian", "posterior", "variance", "estimator", "kernel"],
    "cs.CL": ["language", "token", "translation", "parsing", "corpus"],
}
all_terms = sorted(term_words)
filler = ["we", "propose", "a", "novel", "method", "for", "the", "and", "results", "show"]


def make_rows(n):
    summaries, terms = [], []
    for _ in range(n):
        k = rng.randint(1, 3)
        chosen = list(rng.choice(all_terms, k, replace=False))
        words = list(rng.choice(filler, 8))
        for t in chosen:
            words += list(rng.choice(term_words[t], 4))
        rng.shuffle(words)
        summaries.append(" ".join(words))
        terms.append(chosen)
    return summaries, terms


train_df = dict(zip(["summaries", "terms"], make_rows(128)))
val_df = dict(zip(["summaries", "terms"], make_rows(32)))
test_df = dict(zip(["summaries", "terms"], make_rows(32)))

"""
## Multi-label binarization
"""

terms = tf.ragged.constant(train_df["terms"])
lookup = keras.layers.StringLookup(output_mode="multi_hot")
lookup.adapt(terms)
vocab = lookup.get_vocabulary()


def invert_multi_hot(encoded_labels):
    """Reverse a single multi-hot encoded label to a tuple of vocab terms."""
    hot_indices = np.argwhere(encoded_labels == 1.0)[..., 0]
    return np.take(vocab, hot_indices)


print("Vocabulary:", vocab)
sample_label = train_df["terms"][0]
label_binarized = lookup([sample_label])
print(f"Original label: {sample_label}; binarized: {label_binarized}")

"""
## tf.data
"""

batch_size = 16
auto = tf.data.AUTOTUNE


def make_dataset(dataframe, is_train=True):
    labels = tf.ragged.constant(dataframe["terms"])
    label_binarized = keras.ops.convert_to_numpy(lookup(labels))
    dataset = tf.data.Dataset.from_tensor_slices(
        (dataframe["summaries"], label_binarized)
    )
    dataset = dataset.shuffle(batch_size * 10) if is_train else dataset
    return dataset.batch(batch_size)


train_dataset = make_dataset(train_df, is_train=True)
validation_dataset = make_dataset(val_df, is_train=False)
test_dataset = make_dataset(test_df, is_train=False)

text_batch, label_batch = next(iter(train_dataset))
for i, text in enumerate(text_batch[:2]):
    label = label_batch[i].numpy()[None, ...]
    print(f"Abstract: {text}")
    print(f"Label(s): {invert_multi_hot(label[0])}")

"""
## Vectorization
"""

vocabulary = set()
for s in train_df["summaries"]:
    vocabulary.update(s.lower().split())
vocabulary_size = len(vocabulary)

text_vectorizer = layers.TextVectorization(
    max_tokens=vocabulary_size, ngrams=2, output_mode="tf_idf"
)
with tf.device("/CPU:0"):
    text_vectorizer.adapt(train_dataset.map(lambda text, label: text))

train_dataset = train_dataset.map(
    lambda text, label: (text_vectorizer(text), label), num_parallel_calls=auto
).prefetch(auto)
validation_dataset = validation_dataset.map(
    lambda text, label: (text_vectorizer(text), label), num_parallel_calls=auto
).prefetch(auto)
test_dataset = test_dataset.map(
    lambda text, label: (text_vectorizer(text), label), num_parallel_calls=auto
).prefetch(auto)

"""
## Model
"""


def make_model():
    shallow_mlp_model = keras.Sequential(
        [
            layers.Dense(64, activation="relu"),
            layers.Dense(32, activation="relu"),
            layers.Dense(lookup.vocabulary_size(), activation="sigmoid"),
        ]
    )
    return shallow_mlp_model


shallow_mlp_model = make_model()
shallow_mlp_model.compile(
    loss="binary_crossentropy", optimizer="adam", metrics=["binary_accuracy"]
)
history = shallow_mlp_model.fit(
    train_dataset, validation_data=validation_dataset, epochs=2, verbose=2
)
print(history.history["val_binary_accuracy"])

_, binary_acc = shallow_mlp_model.evaluate(test_dataset, verbose=0)
print(f"Categorical accuracy on the test set: {round(binary_acc * 100, 2)}%.")

"""
## Inference
"""

# Strings stay out of the model (only TensorFlow has string tensors): vectorize, then predict.
inference_dataset = make_dataset(test_df, is_train=False)
text_batch, label_batch = next(iter(inference_dataset))
predicted_probabilities = shallow_mlp_model.predict(keras.ops.convert_to_numpy(text_vectorizer(text_batch)), verbose=0)

for i, text in enumerate(text_batch[:3]):
    label = label_batch[i].numpy()[None, ...]
    print(f"Abstract: {text}")
    print(f"Label(s): {invert_multi_hot(label[0])}")
    top_3_labels = [
        x
        for _, x in sorted(
            zip(predicted_probabilities[i], lookup.get_vocabulary()),
            key=lambda pair: pair[0],
            reverse=True,
        )
    ][:3]
    print(f"Predicted Label(s): ({', '.join([label for label in top_3_labels])})")
assert predicted_probabilities.shape == (16, lookup.vocabulary_size())
