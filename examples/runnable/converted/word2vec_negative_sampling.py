"""Hand conversion of the TensorFlow word2vec tutorial to multi-backend Keras 3.

Keras 3 has no keras.preprocessing.sequence.skipgrams / make_sampling_table: Keras 2's two functions
are written out in NumPy. The negative sampling stays tf.random.log_uniform_candidate_sampler, and
tf.data the pipeline (data preparation on TensorFlow, outside the model). Since Keras 3.15 a
TextVectorization with a Python standardize function cannot run inside a tf.data map on JAX or
PyTorch, so the layer gets standardize=None and the function is applied in the pipeline, before
adapt() and before the layer. In the model, tf.squeeze / tf.einsum become keras.ops and Embedding
loses input_length (gone in Keras 3).
"""
import io
import os
import re
import string
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import layers

SEED = 42
AUTOTUNE = tf.data.AUTOTUNE

rng = np.random.default_rng(SEED)
words = ["word%d" % i for i in range(1500)]
lines = [" ".join(rng.choice(words, size=rng.integers(6, 11))).capitalize() + "." for _ in range(300)]
text_ds = tf.data.Dataset.from_tensor_slices(lines).filter(lambda x: tf.cast(tf.strings.length(x), bool))


def make_sampling_table(size, sampling_factor=1e-5):
    gamma = 0.577
    rank = np.arange(size)
    rank[0] = 1
    inv_fq = rank * (np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inv_fq
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, sampling_table=None, seed=None):
    pair_rng = np.random.default_rng(seed)
    couples, labels = [], []
    for i, wi in enumerate(sequence):
        if not wi:
            continue
        if sampling_table is not None and sampling_table[wi] < pair_rng.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j != i and sequence[j]:
                couples.append([wi, sequence[j]])
                labels.append(1)
    if negative_samples > 0 and couples:
        num_negative_samples = int(len(labels) * negative_samples)
        words = [c[0] for c in couples]
        pair_rng.shuffle(words)
        couples += [[words[i % len(words)], int(pair_rng.integers(1, vocabulary_size))] for i in range(num_negative_samples)]
        labels += [0] * num_negative_samples
    order = pair_rng.permutation(len(couples))
    return [couples[k] for k in order], [labels[k] for k in order]


# Generates skip-gram pairs with negative sampling for a list of sequences
# (int-encoded sentences) based on window size, number of negative samples
# and vocabulary size.
def generate_training_data(sequences, window_size, num_ns, vocab_size, seed):
    targets, contexts, labels = [], [], []
    sampling_table = make_sampling_table(vocab_size)
    for sequence in sequences:
        positive_skip_grams, _ = skipgrams(
            sequence,
            vocabulary_size=vocab_size,
            sampling_table=sampling_table,
            window_size=window_size,
            negative_samples=0)
        for target_word, context_word in positive_skip_grams:
            context_class = tf.expand_dims(tf.constant([context_word], dtype="int64"), 1)
            negative_sampling_candidates, _, _ = tf.random.log_uniform_candidate_sampler(
                true_classes=context_class,
                num_true=1,
                num_sampled=num_ns,
                unique=True,
                range_max=vocab_size,
                seed=seed,
                name="negative_sampling")
            context = tf.concat([tf.squeeze(context_class, 1), negative_sampling_candidates], 0)
            label = tf.constant([1] + [0] * num_ns, dtype="int64")
            targets.append(target_word)
            contexts.append(context)
            labels.append(label)
    return targets, contexts, labels


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    return tf.strings.regex_replace(lowercase, "[%s]" % re.escape(string.punctuation), "")


vocab_size = 4096
sequence_length = 10
vectorize_layer = layers.TextVectorization(
    standardize=None,
    max_tokens=vocab_size,
    output_mode="int",
    output_sequence_length=sequence_length)
vectorize_layer.adapt(text_ds.batch(32).map(custom_standardization))
inverse_vocab = vectorize_layer.get_vocabulary()
print(inverse_vocab[:10])

text_vector_ds = text_ds.batch(32).prefetch(AUTOTUNE).map(lambda x: vectorize_layer(custom_standardization(x))).unbatch()
sequences = list(text_vector_ds.as_numpy_iterator())
print(len(sequences))

num_ns = 4
targets, contexts, labels = generate_training_data(
    sequences=sequences[:120], window_size=2, num_ns=num_ns, vocab_size=vocab_size, seed=SEED)
targets = np.array(targets)
contexts = np.array(contexts)
labels = np.array(labels)
print(f"targets.shape: {targets.shape}", f"contexts.shape: {contexts.shape}", f"labels.shape: {labels.shape}")

BATCH_SIZE = 64
BUFFER_SIZE = 1000
dataset = tf.data.Dataset.from_tensor_slices(((targets, contexts), labels))
dataset = dataset.shuffle(BUFFER_SIZE).batch(BATCH_SIZE, drop_remainder=True)
dataset = dataset.cache().prefetch(buffer_size=AUTOTUNE)


class Word2Vec(keras.Model):
    def __init__(self, vocab_size, embedding_dim):
        super().__init__()
        self.target_embedding = layers.Embedding(vocab_size, embedding_dim, name="w2v_embedding")
        self.context_embedding = layers.Embedding(vocab_size, embedding_dim)

    def call(self, pair):
        target, context = pair
        # target: (batch, dummy?)  # The dummy axis doesn't exist in TF2.7+
        # context: (batch, context)
        if len(target.shape) == 2:
            target = keras.ops.squeeze(target, axis=1)
        # target: (batch,)
        word_emb = self.target_embedding(target)
        # word_emb: (batch, embed)
        context_emb = self.context_embedding(context)
        # context_emb: (batch, context, embed)
        dots = keras.ops.einsum("be,bce->bc", word_emb, context_emb)
        # dots: (batch, context)
        return dots


def custom_loss(x_logit, y_true):
    return keras.ops.binary_crossentropy(y_true, x_logit, from_logits=True)


embedding_dim = 16
word2vec = Word2Vec(vocab_size, embedding_dim)
word2vec.compile(optimizer="adam",
                 loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                 metrics=["accuracy"])
word2vec.fit(dataset, epochs=3, verbose=2)

weights = word2vec.get_layer("w2v_embedding").get_weights()[0]
vocab = vectorize_layer.get_vocabulary()
print(weights.shape, len(vocab))

out_dir = tempfile.mkdtemp()
out_v = io.open(os.path.join(out_dir, "vectors.tsv"), "w", encoding="utf-8")
out_m = io.open(os.path.join(out_dir, "metadata.tsv"), "w", encoding="utf-8")
for index, word in enumerate(vocab):
    if index == 0:
        continue  # skip 0, it's padding.
    vec = weights[index]
    out_v.write("\t".join([str(x) for x in vec]) + "\n")
    out_m.write(word + "\n")
out_v.close()
out_m.close()
print(open(os.path.join(out_dir, "metadata.tsv")).read().split()[:5])
