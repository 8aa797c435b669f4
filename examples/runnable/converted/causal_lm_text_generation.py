"""A miniature causal language model (in the style of the keras.io text generation examples): a
causal mask built by a module-level helper from the dynamic batch size, a Transformer block that
calls it, token and position embeddings, a model with two outputs of which only the first has a
loss, and a callback that samples tokens with top-k at the end of each epoch.

Keras 3 conversion: TF ops in the mask helper, the layers and the sampling callback become
keras.ops (tf.range(start=, limit=, delta=) -> ops.arange(start, stop, step), tf.tile with a
tensor-built multiples list -> ops.tile with a list of ints/tensors, tf.math.top_k -> ops.top_k);
the tf.data input pipeline stays TensorFlow."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

vocab_size = 40
maxlen = 16
embed_dim = 16
num_heads = 2
feed_forward_dim = 32


def causal_attention_mask(batch_size, n_dest, n_src, dtype):
    """Lower-triangular mask: position i may attend to positions j <= i."""
    rows = ops.arange(n_dest)[:, None]
    cols = ops.arange(n_src)
    allowed = rows >= cols - n_src + n_dest
    mask = ops.cast(allowed, dtype)
    mask = ops.reshape(mask, [1, n_dest, n_src])
    return ops.tile(mask, [batch_size, 1, 1])


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads, embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs):
        input_shape = ops.shape(inputs)
        batch_size = input_shape[0]
        seq_len = input_shape[1]
        causal_mask = causal_attention_mask(batch_size, seq_len, seq_len, "bool")
        attention_output = self.att(inputs, inputs, attention_mask=causal_mask)
        attention_output = self.dropout1(attention_output)
        out1 = self.layernorm1(inputs + attention_output)
        ffn_output = self.dropout2(self.ffn(out1))
        return self.layernorm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(0, maxlen, 1)
        positions = self.pos_emb(positions)
        return self.token_emb(x) + positions


def create_model():
    inputs = layers.Input(shape=(maxlen,), dtype="int32")
    x = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)(inputs)
    x = TransformerBlock(embed_dim, num_heads, feed_forward_dim)(x)
    outputs = layers.Dense(vocab_size)(x)
    model = keras.Model(inputs=inputs, outputs=[outputs, x])
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile("adam", loss=[loss_fn, None])
    return model


class TextGenerator(keras.callbacks.Callback):
    def __init__(self, max_tokens, start_tokens, top_k=5):
        self.max_tokens = max_tokens
        self.start_tokens = start_tokens
        self.k = top_k

    def sample_from(self, logits):
        logits, indices = ops.top_k(logits, k=self.k, sorted=True)
        indices = ops.convert_to_numpy(indices).astype("int32")
        preds = keras.activations.softmax(ops.expand_dims(logits, 0))[0]
        preds = ops.convert_to_numpy(preds).astype("float64")
        preds = preds / preds.sum()
        return np.random.choice(indices, p=preds)

    def on_epoch_end(self, epoch, logs=None):
        start_tokens = [t for t in self.start_tokens]
        generated = []
        while len(generated) < self.max_tokens:
            pad_len = maxlen - len(start_tokens)
            sample_index = len(start_tokens) - 1
            if pad_len < 0:
                x = start_tokens[:maxlen]
                sample_index = maxlen - 1
            else:
                x = start_tokens + [0] * pad_len
            x = np.array([x])
            y, _ = self.model.predict(x, verbose=0)
            sample_token = self.sample_from(y[0][sample_index])
            generated.append(int(sample_token))
            start_tokens.append(sample_token)
        print(f"epoch {epoch + 1}: generated {generated}")


rng = np.random.default_rng(0)
# Token sequences that count upwards modulo the vocabulary: learnable next-token structure.
starts = rng.integers(1, vocab_size, size=(128, 1))
sequences = (starts + np.arange(maxlen + 1)) % vocab_size
dataset = tf.data.Dataset.from_tensor_slices((sequences[:, :-1], sequences[:, 1:])).shuffle(128).batch(32)

model = create_model()
text_gen_callback = TextGenerator(max_tokens=4, start_tokens=[3, 4, 5])
model.fit(dataset, epochs=2, verbose=0, callbacks=[text_gen_callback])
