"""Sequence-to-sequence text generation with an FNet encoder and a Transformer decoder (after the
keras.io "Text Generation using FNet" example of the tf.keras era), on synthetic question/answer
pairs: a TextVectorization with a tf.strings standardize function adapted on a tf.data dataset and
mapped over it (dict inputs and targets, tf.pad), an FNet encoder mixing tokens with
tf.signal.fft2d of a complex cast, a positional embedding whose compute_mask masks padding, a
decoder with a causal attention mask built from tf ops, nested functional models, and greedy
decoding with predict() on tf tensors."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

MAX_LENGTH = 12
VOCAB_SIZE = 64
EMBED_DIM = 32
LATENT_DIM = 64
NUM_HEADS = 2
BATCH_SIZE = 32

# Synthetic conversations: the answer repeats the question's words in reverse order.
rng = np.random.RandomState(0)
words = ["alpha", "beta", "gamma", "delta", "red", "blue", "green", "cat", "dog", "bird", "sun", "moon"]
questions, answers = [], []
for _ in range(320):
    chosen = list(rng.choice(words, size=rng.randint(3, 7)))
    questions.append(" ".join(chosen).capitalize() + "?")
    answers.append(" ".join(reversed(chosen)) + ".")

train_dataset = tf.data.Dataset.from_tensor_slices((questions[:256], answers[:256]))
val_dataset = tf.data.Dataset.from_tensor_slices((questions[256:], answers[256:]))


def preprocess_text(sentence):
    sentence = tf.strings.lower(sentence)
    # A space between punctuation and the last word.
    sentence = tf.strings.regex_replace(sentence, r"([?.!,])", r" \1 ")
    sentence = tf.strings.regex_replace(sentence, r"\s\s+", " ")
    sentence = tf.strings.regex_replace(sentence, r"[^a-z?.!,]+", " ")
    sentence = tf.strings.strip(sentence)
    sentence = tf.strings.join(["[start]", sentence, "[end]"], separator=" ")
    return sentence


vectorizer = layers.TextVectorization(
    VOCAB_SIZE,
    standardize=preprocess_text,
    output_mode="int",
    output_sequence_length=MAX_LENGTH,
)
vectorizer.adapt(tf.data.Dataset.from_tensor_slices(questions + answers).batch(64))


def vectorize_text(inputs, outputs):
    inputs, outputs = vectorizer(inputs), vectorizer(outputs)
    # One padding token on the right, so that targets are the decoder inputs shifted by one.
    outputs = tf.pad(outputs, [[0, 1]])
    return (
        {"encoder_inputs": inputs, "decoder_inputs": outputs[:-1]},
        {"outputs": outputs[1:]},
    )


train_dataset = train_dataset.map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE)
val_dataset = val_dataset.map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE)
train_dataset = train_dataset.cache().shuffle(256).batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)
val_dataset = val_dataset.cache().batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)


class FNetEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, **kwargs):
        super(FNetEncoder, self).__init__(**kwargs)
        self.embed_dim = embed_dim
        self.dense_dim = dense_dim
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()

    def call(self, inputs):
        # Token mixing: the real part of a 2D Fourier transform over sequence and hidden axes.
        inp_complex = tf.cast(inputs, tf.complex64)
        fft = tf.math.real(tf.signal.fft2d(inp_complex))
        proj_input = self.layernorm_1(inputs + fft)
        proj_output = self.dense_proj(proj_input)
        return self.layernorm_2(proj_input + proj_output)


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super(PositionalEmbedding, self).__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)
        self.sequence_length = sequence_length
        self.vocab_size = vocab_size
        self.embed_dim = embed_dim

    def call(self, inputs):
        length = tf.shape(inputs)[-1]
        positions = tf.range(start=0, limit=length, delta=1)
        embedded_tokens = self.token_embeddings(inputs)
        embedded_positions = self.position_embeddings(positions)
        return embedded_tokens + embedded_positions

    def compute_mask(self, inputs, mask=None):
        return tf.math.not_equal(inputs, 0)


class FNetDecoder(layers.Layer):
    def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
        super(FNetDecoder, self).__init__(**kwargs)
        self.embed_dim = embed_dim
        self.latent_dim = latent_dim
        self.num_heads = num_heads
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.dense_proj = keras.Sequential([layers.Dense(latent_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.layernorm_3 = layers.LayerNormalization()
        self.supports_masking = True

    def call(self, inputs, encoder_outputs, mask=None):
        causal_mask = self.get_causal_attention_mask(inputs)
        if mask is not None:
            padding_mask = tf.cast(mask[:, tf.newaxis, :], dtype="int32")
            padding_mask = tf.minimum(padding_mask, causal_mask)

        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=causal_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(
            query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask
        )
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        proj_output = self.dense_proj(out_2)
        return self.layernorm_3(out_2 + proj_output)

    def get_causal_attention_mask(self, inputs):
        input_shape = tf.shape(inputs)
        batch_size, sequence_length = input_shape[0], input_shape[1]
        i = tf.range(sequence_length)[:, tf.newaxis]
        j = tf.range(sequence_length)
        mask = tf.cast(i >= j, dtype="int32")
        mask = tf.reshape(mask, (1, input_shape[1], input_shape[1]))
        mult = tf.concat([tf.expand_dims(batch_size, -1), tf.constant([1, 1], dtype=tf.int32)], axis=0)
        return tf.tile(mask, mult)


def create_model():
    encoder_inputs = keras.Input(shape=(None,), dtype="int32", name="encoder_inputs")
    x = PositionalEmbedding(MAX_LENGTH, VOCAB_SIZE, EMBED_DIM)(encoder_inputs)
    encoder_outputs = FNetEncoder(EMBED_DIM, LATENT_DIM)(x)
    encoder = keras.Model(encoder_inputs, encoder_outputs)
    decoder_inputs = keras.Input(shape=(None,), dtype="int32", name="decoder_inputs")
    encoded_seq_inputs = keras.Input(shape=(None, EMBED_DIM), name="decoder_state_inputs")
    x = PositionalEmbedding(MAX_LENGTH, VOCAB_SIZE, EMBED_DIM)(decoder_inputs)
    x = FNetDecoder(EMBED_DIM, LATENT_DIM, NUM_HEADS)(x, encoded_seq_inputs)
    x = layers.Dropout(0.5)(x)
    decoder_outputs = layers.Dense(VOCAB_SIZE, activation="softmax")(x)
    decoder = keras.Model([decoder_inputs, encoded_seq_inputs], decoder_outputs, name="outputs")
    decoder_outputs = decoder([decoder_inputs, encoder_outputs])
    fnet = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs, name="fnet")
    return fnet


fnet = create_model()
fnet.compile("adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = fnet.fit(train_dataset, epochs=2, validation_data=val_dataset, verbose=0)
print({k: round(float(v[-1]), 3) for k, v in history.history.items()})

VOCAB = vectorizer.get_vocabulary()
# The synthetic data has fewer words than VOCAB_SIZE: a barely trained model may still pick an
# index past them, which decodes as unknown instead of failing at random.
VOCAB += ["[UNK]"] * (VOCAB_SIZE - len(VOCAB))


def decode_sentence(input_sentence):
    # The standardize function adds the start and end tokens.
    tokenized_input_sentence = vectorizer(tf.constant(input_sentence))
    # The target starts with the start token only.
    tokenized_target_sentence = tf.expand_dims(VOCAB.index("[start]"), 0)
    decoded_sentence = ""
    for i in range(MAX_LENGTH):
        predictions = fnet.predict(
            {
                "encoder_inputs": tf.expand_dims(tokenized_input_sentence, 0),
                "decoder_inputs": tf.expand_dims(
                    tf.pad(tokenized_target_sentence, [[0, MAX_LENGTH - tf.shape(tokenized_target_sentence)[0]]]),
                    0,
                ),
            },
            verbose=0,
        )
        # Greedy: the most probable token at this position.
        sampled_token_index = tf.argmax(predictions[0, i, :], output_type=tf.int32)
        sampled_token = VOCAB[sampled_token_index.numpy()]
        if tf.equal(sampled_token_index, VOCAB.index("[end]")):
            break
        decoded_sentence += sampled_token + " "
        tokenized_target_sentence = tf.concat([tokenized_target_sentence, [sampled_token_index]], 0)
        if tf.shape(tokenized_target_sentence)[0] >= MAX_LENGTH:
            break
    return decoded_sentence


decoded = decode_sentence("Red cat sun?")
print("decoded:", repr(decoded))
assert isinstance(decoded, str)
