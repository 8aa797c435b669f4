"""A multi-input, multi-output functional model whose graph is built with TF ops on Keras tensors.

In the style of tf.keras-era keras.io examples that mixed tf.* ops into functional models: query
and document token ids embedded by a shared Embedding, pooled with masked TF reductions, scored
with a cosine similarity, plus a second output; Lambda layers with `arguments=`; the model saved
to HDF5 and loaded back.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

VOCAB = 50
SEQ = 12
EMBED = 16

query_ids = keras.Input(shape=(SEQ,), dtype="int32", name="query")
doc_ids = keras.Input(shape=(SEQ,), dtype="int32", name="document")
doc_age = keras.Input(shape=(1,), name="doc_age")

embedding = layers.Embedding(VOCAB, EMBED, name="shared_embedding")


def masked_mean(ids, vectors):
    mask = tf.cast(tf.not_equal(ids, 0), tf.float32)
    mask = tf.expand_dims(mask, -1)
    summed = tf.reduce_sum(vectors * mask, axis=1)
    count = tf.maximum(tf.reduce_sum(mask, axis=1), 1.0)
    return tf.divide(summed, count)


query_vec = masked_mean(query_ids, embedding(query_ids))
doc_vec = masked_mean(doc_ids, embedding(doc_ids))
query_vec = tf.math.l2_normalize(query_vec, axis=-1)
doc_vec = tf.math.l2_normalize(doc_vec, axis=-1)
cosine = tf.reduce_sum(query_vec * doc_vec, axis=-1, keepdims=True)

# Position of the first padding token, and a log-scaled age feature.
doc_length = tf.argmin(tf.pad(doc_ids, [[0, 0], [0, 1]]), axis=-1)
doc_length = tf.cast(tf.expand_dims(doc_length, -1), tf.float32) / SEQ
age_feature = tf.math.log1p(tf.abs(doc_age))

features = tf.concat([cosine, doc_length, age_feature, query_vec * doc_vec], axis=-1)
features = layers.Lambda(lambda t, scale: t * scale, arguments={"scale": 2.0}, name="scale")(features)
hidden = layers.Dense(32, activation="relu")(features)
relevance = layers.Dense(1, activation="sigmoid", name="relevance")(hidden)
clicks = layers.Dense(1, name="clicks")(tf.stack([cosine[:, 0], tf.squeeze(age_feature, -1)], axis=1))
clicks = layers.Activation("softplus", name="click_rate")(clicks)

model = keras.Model(inputs=[query_ids, doc_ids, doc_age], outputs=[relevance, clicks])
model.compile(
    optimizer="adam",
    loss={"relevance": "binary_crossentropy", "click_rate": "poisson"},
    loss_weights={"relevance": 1.0, "click_rate": 0.2},
    metrics={"relevance": ["accuracy"]},
)

rng = np.random.RandomState(5)
n = 128
q = rng.randint(1, VOCAB, size=(n, SEQ)).astype("int32")
d = rng.randint(1, VOCAB, size=(n, SEQ)).astype("int32")
lengths = rng.randint(3, SEQ, size=n)
for i, length in enumerate(lengths):
    q[i, length:] = 0
    d[i, length:] = 0
age = rng.rand(n, 1).astype("float32") * 10
rel = (rng.rand(n, 1) > 0.5).astype("float32")
click = rng.poisson(2.0, size=(n, 1)).astype("float32")

model.fit({"query": q, "document": d, "doc_age": age}, {"relevance": rel, "click_rate": click},
          batch_size=32, epochs=2, verbose=0)
scores = model.evaluate([q, d, age], [rel, click], verbose=0)
print("loss and metrics:", [round(float(s), 3) for s in scores])

relevance_pred, clicks_pred = model.predict([q[:8], d[:8], age[:8]], verbose=0)
ranking = tf.argsort(tf.squeeze(relevance_pred, -1), direction="DESCENDING")
print("ranking of the first 8 documents:", ranking.numpy())

path = os.path.join(tempfile.mkdtemp(), "ranker.h5")
model.save(path)
restored = keras.models.load_model(path)
np.testing.assert_allclose(restored.predict([q[:4], d[:4], age[:4]], verbose=0)[0], relevance_pred[:4], rtol=1e-4)
print("restored outputs:", restored.output_names)
