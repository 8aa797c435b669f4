"""Sequence tagging with padded batches (in the style of Keras 2 seq2seq/NER code): a masked loss
built on a loss object with reduction=Reduction.NONE, a masked accuracy metric, a Loss subclass
that passes a Reduction, and a Kaggle-style attention-pooling layer written with tf.keras.backend
functions and add_weight(name, shape) in build().

Keras 3 conversion: keras.ops in the loss, metric and layer; reduction="none" / the default
reduction string instead of the removed Reduction enum; add_weight(name=) as a keyword."""
import numpy as np
import keras
from keras import layers, ops

vocab_size, num_tags, maxlen = 30, 4, 12

loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")


def masked_loss(y_true, y_pred):
    per_token = loss_object(y_true, y_pred)
    mask = ops.cast(ops.not_equal(y_true, 0), per_token.dtype)
    return ops.sum(per_token * mask) / ops.sum(mask)


def masked_accuracy(y_true, y_pred):
    y_true = ops.cast(y_true, "int64")
    predicted = ops.cast(ops.argmax(y_pred, axis=-1), "int64")
    mask = ops.not_equal(y_true, 0)
    hits = ops.logical_and(ops.equal(y_true, predicted), mask)
    return ops.sum(ops.cast(hits, "float32")) / ops.sum(ops.cast(mask, "float32"))


class ScaledHinge(keras.losses.Loss):
    def __init__(self, scale=1.0, reduction="sum_over_batch_size", name="scaled_hinge"):
        super().__init__(reduction=reduction, name=name)
        self.scale = scale

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, y_pred.dtype) * 2.0 - 1.0
        return self.scale * ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


class AttentionPooling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.W = self.add_weight(name="att_weight", shape=(input_shape[-1], 1), initializer="normal")
        self.b = self.add_weight(name="att_bias", shape=(input_shape[1], 1), initializer="zeros")
        super().build(input_shape)

    def call(self, x):
        e = ops.tanh(ops.dot(x, self.W) + self.b)
        e = ops.squeeze(e, axis=-1)
        alpha = ops.softmax(e)
        alpha = ops.expand_dims(alpha, axis=-1)
        return ops.sum(x * alpha, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])


rng = np.random.default_rng(2)
lengths = rng.integers(4, maxlen + 1, size=128)
tokens = np.zeros((128, maxlen), dtype="int64")
for i, n in enumerate(lengths):
    tokens[i, :n] = rng.integers(1, vocab_size, size=n)
tags = np.where(tokens > 0, tokens % (num_tags - 1) + 1, 0)
has_long = (lengths > 8).astype("int64")

inputs = keras.Input(shape=(maxlen,), dtype="int64")
embedded = layers.Embedding(vocab_size, 16)(inputs)
states = layers.Bidirectional(layers.GRU(8, return_sequences=True))(embedded)
tag_logits = layers.Dense(num_tags, name="tags")(states)
pooled = AttentionPooling(name="pool")(states)
long_score = layers.Dense(1, name="long")(pooled)
model = keras.Model(inputs, [tag_logits, long_score])
model.compile(
    optimizer="adam",
    loss={"tags": masked_loss, "long": ScaledHinge(scale=0.5)},
    metrics={"tags": [masked_accuracy]},
)
model.fit(tokens, {"tags": tags, "long": has_long}, batch_size=32, epochs=2, verbose=0)
results = model.evaluate(tokens, {"tags": tags, "long": has_long}, verbose=0)
print("evaluation:", results)
