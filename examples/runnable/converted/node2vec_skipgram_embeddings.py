"""Node2Vec graph embeddings (in the style of the keras.io graph representation learning example, tf.keras):
biased random walks on a small synthetic graph, (target, context) pairs with negative samples from
keras.preprocessing.sequence.skipgrams and a sampling table from make_sampling_table, a tf.data dataset of
dict features with sample weights, a skip-gram model with a shared Embedding and layers.Dot, trained with a
logits BinaryCrossentropy, and the learned embeddings queried with tf.linalg / tf.math.top_k.

Keras 3 conversion: keras.preprocessing.sequence has no skipgrams or make_sampling_table in Keras 3 (only
pad_sequences): the two functions are written out in NumPy (same sampling rule: word2vec's rank-based table,
positives inside the window, negatives with a random context); the model and tf.data pipeline are unchanged;
the similarity query uses NumPy on the embedding matrix."""
from collections import defaultdict

import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(0)
num_nodes = 30
# Three communities of ten nodes; dense inside, a few edges across.
edges = set()
for c in range(3):
    members = list(range(c * 10, c * 10 + 10))
    for _ in range(25):
        a, b = rng.choice(members, size=2, replace=False)
        edges.add((int(min(a, b)), int(max(a, b))))
for _ in range(4):
    a, b = rng.choice(num_nodes, size=2, replace=False)
    edges.add((int(min(a, b)), int(max(a, b))))
neighbours = defaultdict(list)
for a, b in edges:
    neighbours[a].append(b)
    neighbours[b].append(a)

vocabulary = ["NA"] + [str(n) for n in range(num_nodes)]
vocabulary_lookup = {token: idx for idx, token in enumerate(vocabulary)}


def next_step(previous, current, p, q):
    candidates = neighbours[current]
    weights = []
    for neighbour in candidates:
        if neighbour == previous:
            weights.append(1.0 / p)
        elif previous is not None and neighbour in neighbours[previous]:
            weights.append(1.0)
        else:
            weights.append(1.0 / q)
    probabilities = np.array(weights) / np.sum(weights)
    return int(rng.choice(candidates, p=probabilities))


def random_walk(num_walks, num_steps, p, q):
    walks = []
    nodes = [n for n in range(num_nodes) if neighbours[n]]
    for _ in range(num_walks):
        rng.shuffle(nodes)
        for node in nodes:
            walk = [node]
            while len(walk) < num_steps:
                previous = walk[-2] if len(walk) > 1 else None
                walk.append(next_step(previous, walk[-1], p, q))
            walks.append([vocabulary_lookup[str(n)] for n in walk])
    return walks


walks = random_walk(num_walks=3, num_steps=6, p=1, q=1)
print("Number of walks generated:", len(walks))


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


def generate_examples(sequences, window_size, num_negative_samples, vocabulary_size):
    example_weights = defaultdict(int)
    sampling_table = make_sampling_table(vocabulary_size, sampling_factor=1.0)
    for sequence in sequences:
        pairs, labels = skipgrams(
            sequence,
            vocabulary_size=vocabulary_size,
            window_size=window_size,
            negative_samples=num_negative_samples,
            sampling_table=sampling_table,
            seed=7,
        )
        for idx in range(len(pairs)):
            pair = pairs[idx]
            label = labels[idx]
            target, context = min(pair[0], pair[1]), max(pair[0], pair[1])
            if target == context:
                continue
            entry = (target, context, label)
            example_weights[entry] += 1

    targets, contexts, labels, weights = [], [], [], []
    for entry in example_weights:
        weight = example_weights[entry]
        target, context, label = entry
        targets.append(target)
        contexts.append(context)
        labels.append(label)
        weights.append(weight)
    return np.array(targets), np.array(contexts), np.array(labels), np.array(weights)


targets, contexts, labels, weights = generate_examples(
    sequences=walks, window_size=3, num_negative_samples=2, vocabulary_size=len(vocabulary)
)
print(f"Targets shape: {targets.shape}, Labels shape: {labels.shape}")

batch_size = 64


def create_dataset(targets, contexts, labels, weights, batch_size):
    inputs = {"target": targets, "context": contexts}
    dataset = tf.data.Dataset.from_tensor_slices((inputs, labels, weights))
    dataset = dataset.shuffle(buffer_size=batch_size * 2)
    dataset = dataset.batch(batch_size, drop_remainder=True)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    return dataset


dataset = create_dataset(targets, contexts, labels, weights, batch_size)

embedding_dim = 8


def create_model(vocabulary_size, embedding_dim):
    inputs = {
        "target": layers.Input(name="target", shape=(), dtype="int32"),
        "context": layers.Input(name="context", shape=(), dtype="int32"),
    }
    embed_item = layers.Embedding(
        input_dim=vocabulary_size,
        output_dim=embedding_dim,
        embeddings_initializer="he_normal",
        embeddings_regularizer=keras.regularizers.l2(1e-6),
        name="item_embeddings",
    )
    target_embeddings = embed_item(inputs["target"])
    context_embeddings = embed_item(inputs["context"])
    logits = layers.Dot(axes=1, normalize=False, name="dot_similarity")([target_embeddings, context_embeddings])
    model = keras.Model(inputs=inputs, outputs=logits)
    return model


model = create_model(len(vocabulary), embedding_dim)
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
)
history = model.fit(dataset, epochs=3, verbose=0)
print("final loss:", history.history["loss"][-1])

node_embeddings = model.get_layer("item_embeddings").get_weights()[0]
print("Node embeddings shape:", node_embeddings.shape)

query_ids = [vocabulary_lookup[q] for q in ["1", "12", "25"]]
normalized = node_embeddings / np.linalg.norm(node_embeddings, axis=1, keepdims=True)
similarities = normalized[query_ids] @ normalized.T
indices = np.argsort(-similarities, axis=1)[:, :4]
for q, ids in zip(["1", "12", "25"], indices.tolist()):
    print(q, "->", [vocabulary[i] for i in ids])
