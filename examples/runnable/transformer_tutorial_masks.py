"""Transformer encoder written from scratch (after the TensorFlow "Transformer model for language
understanding" tutorial of the tf.keras era): NumPy positional encoding cast with tf.cast, padding and
look-ahead masks (tf.math.equal, tf.newaxis, tf.linalg.band_part), scaled dot-product attention as a
module-level function (tf.matmul(transpose_b=True), tf.math.sqrt, tf.nn.softmax), heads split with a
tf.shape-based tf.reshape and tf.transpose(perm=), tf.einsum in the pooling head."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def get_angles(pos, i, d_model):
    angle_rates = 1 / np.power(10000, (2 * (i // 2)) / np.float32(d_model))
    return pos * angle_rates


def positional_encoding(position, d_model):
    angle_rads = get_angles(np.arange(position)[:, np.newaxis], np.arange(d_model)[np.newaxis, :], d_model)
    angle_rads[:, 0::2] = np.sin(angle_rads[:, 0::2])
    angle_rads[:, 1::2] = np.cos(angle_rads[:, 1::2])
    pos_encoding = angle_rads[np.newaxis, ...]
    return tf.cast(pos_encoding, dtype=tf.float32)


def create_padding_mask(seq):
    seq = tf.cast(tf.math.equal(seq, 0), tf.float32)
    # add extra dimensions to add the padding to the attention logits
    return seq[:, tf.newaxis, tf.newaxis, :]  # (batch_size, 1, 1, seq_len)


def create_look_ahead_mask(size):
    mask = 1 - tf.linalg.band_part(tf.ones((size, size)), -1, 0)
    return mask  # (seq_len, seq_len)


def scaled_dot_product_attention(q, k, v, mask):
    matmul_qk = tf.matmul(q, k, transpose_b=True)  # (..., seq_len_q, seq_len_k)
    dk = tf.cast(tf.shape(k)[-1], tf.float32)
    scaled_attention_logits = matmul_qk / tf.math.sqrt(dk)
    if mask is not None:
        scaled_attention_logits += mask * -1e9
    attention_weights = tf.nn.softmax(scaled_attention_logits, axis=-1)
    output = tf.matmul(attention_weights, v)
    return output, attention_weights


class MultiHeadAttention(layers.Layer):
    def __init__(self, d_model, num_heads, **kwargs):
        super(MultiHeadAttention, self).__init__(**kwargs)
        self.num_heads = num_heads
        self.d_model = d_model
        assert d_model % self.num_heads == 0
        self.depth = d_model // self.num_heads
        self.wq = layers.Dense(d_model)
        self.wk = layers.Dense(d_model)
        self.wv = layers.Dense(d_model)
        self.dense = layers.Dense(d_model)

    def split_heads(self, x, batch_size):
        """Split the last dimension into (num_heads, depth) and put the heads first."""
        x = tf.reshape(x, (batch_size, -1, self.num_heads, self.depth))
        return tf.transpose(x, perm=[0, 2, 1, 3])

    def call(self, v, k, q, mask):
        batch_size = tf.shape(q)[0]
        q = self.split_heads(self.wq(q), batch_size)
        k = self.split_heads(self.wk(k), batch_size)
        v = self.split_heads(self.wv(v), batch_size)
        scaled_attention, attention_weights = scaled_dot_product_attention(q, k, v, mask)
        scaled_attention = tf.transpose(scaled_attention, perm=[0, 2, 1, 3])
        concat_attention = tf.reshape(scaled_attention, (batch_size, -1, self.d_model))
        return self.dense(concat_attention), attention_weights

    def get_config(self):
        config = super(MultiHeadAttention, self).get_config()
        config.update({"d_model": self.d_model, "num_heads": self.num_heads})
        return config


def point_wise_feed_forward_network(d_model, dff):
    return keras.Sequential([layers.Dense(dff, activation="relu"), layers.Dense(d_model)])


class EncoderLayer(layers.Layer):
    def __init__(self, d_model, num_heads, dff, rate=0.1):
        super(EncoderLayer, self).__init__()
        self.mha = MultiHeadAttention(d_model, num_heads)
        self.ffn = point_wise_feed_forward_network(d_model, dff)
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, x, training, mask):
        attn_output, _ = self.mha(x, x, x, mask)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(x + attn_output)
        ffn_output = self.dropout2(self.ffn(out1), training=training)
        return self.layernorm2(out1 + ffn_output)


class TransformerClassifier(keras.Model):
    def __init__(self, num_layers, d_model, num_heads, dff, vocab_size, maximum_position_encoding, num_classes,
                 rate=0.1):
        super(TransformerClassifier, self).__init__()
        self.d_model = d_model
        self.embedding = layers.Embedding(vocab_size, d_model)
        self.pos_encoding = positional_encoding(maximum_position_encoding, self.d_model)
        self.enc_layers = [EncoderLayer(d_model, num_heads, dff, rate) for _ in range(num_layers)]
        self.dropout = layers.Dropout(rate)
        self.pool_query = self.add_weight(name="pool_query", shape=(d_model,), initializer="random_normal",
                                          trainable=True)
        self.final_layer = layers.Dense(num_classes)

    def call(self, x, training=False):
        seq_len = tf.shape(x)[1]
        mask = create_padding_mask(x)
        x = self.embedding(x)
        x *= tf.math.sqrt(tf.cast(self.d_model, tf.float32))
        x += self.pos_encoding[:, :seq_len, :]
        x = self.dropout(x, training=training)
        for layer in self.enc_layers:
            x = layer(x, training, mask)
        # attention pooling over the sequence with a learnt query
        scores = tf.einsum("bsd,d->bs", x, self.pool_query)
        scores = tf.where(tf.math.equal(mask[:, 0, 0, :], 1.0), -1e9 * tf.ones_like(scores), scores)
        weights = tf.nn.softmax(scores, axis=-1)
        pooled = tf.einsum("bs,bsd->bd", weights, x)
        return self.final_layer(pooled)


vocab_size, seq_len, num_classes = 50, 12, 3
x_train = np.random.randint(1, vocab_size, size=(96, seq_len))
x_train[:, -3:] = 0  # padding
y_train = np.random.randint(0, num_classes, size=(96,))

model = TransformerClassifier(num_layers=2, d_model=16, num_heads=2, dff=32, vocab_size=vocab_size,
                              maximum_position_encoding=32, num_classes=num_classes)
model.compile(optimizer=keras.optimizers.Adam(1e-3),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=16, epochs=2, verbose=0)
print("loss", history.history["loss"][-1])

look_ahead = create_look_ahead_mask(seq_len)
print("look-ahead mask", look_ahead.shape, float(tf.reduce_sum(look_ahead)))
mha = MultiHeadAttention(d_model=16, num_heads=4)
y = tf.random.uniform((2, seq_len, 16))
out, attn = mha(y, y, y, look_ahead)
print(out.shape, attn.shape)
logits = model(x_train[:4])
print(tf.argmax(logits, axis=-1).numpy())
