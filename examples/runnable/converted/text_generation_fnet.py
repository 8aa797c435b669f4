"""Sequence-to-sequence text generation with an FNet encoder and a Transformer decoder (after the
keras.io "Text Generation using FNet" example of the tf.keras era), on synthetic question/answer pairs.

Hand conversion to multi-backend Keras 3. On JAX and PyTorch, Keras 3 hands a callable `standardize`
NumPy strings, which a symbolic tf.data map cannot give it, so the TextVectorization (its tf.strings
standardize function kept) is adapted on and applied to the NumPy sentences eagerly, and the
datasets are built from the token ids (np.pad for tf.pad), the targets an array, not a dict keyed by
the single output's name (Keras 3 fails on that on every backend); the layers use keras.ops: the
FNet token mixing is the real part of keras.ops.fft2 of (inputs, 0), positions come from ops.arange, the causal mask from ops.arange / ops.tile with static multiples,
the padding mask from ops.not_equal, received as `inputs_mask` (Keras 3 passes `mask` only to a layer
called on one tensor); the greedy decoding loop works on NumPy arrays
(ops.convert_to_numpy of the vectorizer's output, np.argmax of predict's)."""
import numpy as np
import tensorflow as tf  # tf.data and the vectorizer's tf.strings standardize function
import keras
from keras import layers, ops

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
vectorizer.adapt(np.array(questions + answers), batch_size=64)


def vectorize_text(inputs, outputs):
    """Token ids as NumPy, computed eagerly on a batch of sentences."""
    inputs = ops.convert_to_numpy(vectorizer(np.array(inputs)))
    outputs = ops.convert_to_numpy(vectorizer(np.array(outputs)))
    # One padding token on the right, so that targets are the decoder inputs shifted by one.
    outputs = np.pad(outputs, [[0, 0], [0, 1]])
    return (
        {"encoder_inputs": inputs, "decoder_inputs": outputs[:, :-1]},
        # Keras 3 matches a dict of targets to a single-output model's output names no more: an array.
        outputs[:, 1:],
    )


train_dataset = tf.data.Dataset.from_tensor_slices(vectorize_text(questions[:256], answers[:256]))
val_dataset = tf.data.Dataset.from_tensor_slices(vectorize_text(questions[256:], answers[256:]))
train_dataset = train_dataset.cache().shuffle(256).batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)
val_dataset = val_dataset.cache().batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)


class FNetEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim = embed_dim
        self.dense_dim = dense_dim
        self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()

    def call(self, inputs):
        # Token mixing: the real part of a 2D Fourier transform over sequence and hidden axes.
        # keras.ops.fft2 takes and returns (real, imaginary) parts, over the last two axes as fft2d.
        fft, _ = ops.fft2((inputs, ops.zeros_like(inputs)))
        proj_input = self.layernorm_1(inputs + fft)
        proj_output = self.dense_proj(proj_input)
        return self.layernorm_2(proj_input + proj_output)


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)
        self.sequence_length = sequence_length
        self.vocab_size = vocab_size
        self.embed_dim = embed_dim

    def call(self, inputs):
        length = ops.shape(inputs)[-1]
        positions = ops.arange(start=0, stop=length, step=1)
        embedded_tokens = self.token_embeddings(inputs)
        embedded_positions = self.position_embeddings(positions)
        return embedded_tokens + embedded_positions

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)


class FNetDecoder(layers.Layer):
    def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
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

    def call(self, inputs, encoder_outputs, inputs_mask=None):
        # Keras 3 hands a layer called on several tensors each one's mask as `<argument>_mask`
        # (Keras 2 gave the first one's as `mask`): the decoder inputs' padding mask.
        causal_mask = self.get_causal_attention_mask(inputs)
        if inputs_mask is not None:
            padding_mask = ops.cast(inputs_mask[:, None, :], dtype="int32")
            padding_mask = ops.minimum(padding_mask, causal_mask)
        else:
            padding_mask = None

        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=causal_mask)
        out_1 = self.layernorm_1(inputs + attention_output_1)
        attention_output_2 = self.attention_2(
            query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask
        )
        out_2 = self.layernorm_2(out_1 + attention_output_2)
        proj_output = self.dense_proj(out_2)
        return self.layernorm_3(out_2 + proj_output)

    def get_causal_attention_mask(self, inputs):
        input_shape = ops.shape(inputs)
        batch_size, sequence_length = input_shape[0], input_shape[1]
        i = ops.arange(sequence_length)[:, None]
        j = ops.arange(sequence_length)
        mask = ops.cast(i >= j, dtype="int32")
        mask = ops.reshape(mask, (1, input_shape[1], input_shape[1]))
        # Static multiples: jax.numpy.tile needs hashable repetitions, not a tensor.
        return ops.tile(mask, (batch_size, 1, 1))


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
    tokenized_input_sentence = ops.convert_to_numpy(vectorizer(np.array([input_sentence])))[0]
    # The target starts with the start token only.
    tokenized_target_sentence = [VOCAB.index("[start]")]
    decoded_sentence = ""
    for i in range(MAX_LENGTH):
        padded = tokenized_target_sentence + [0] * (MAX_LENGTH - len(tokenized_target_sentence))
        predictions = fnet.predict(
            {
                "encoder_inputs": tokenized_input_sentence[None, :].astype("int32"),
                "decoder_inputs": np.array([padded], dtype="int32"),
            },
            verbose=0,
        )
        # Greedy: the most probable token at this position.
        sampled_token_index = int(np.argmax(predictions[0, i, :]))
        sampled_token = VOCAB[sampled_token_index]
        if sampled_token_index == VOCAB.index("[end]"):
            break
        decoded_sentence += sampled_token + " "
        tokenized_target_sentence.append(sampled_token_index)
        if len(tokenized_target_sentence) >= MAX_LENGTH:
            break
    return decoded_sentence


decoded = decode_sentence("Red cat sun?")
print("decoded:", repr(decoded))
assert isinstance(decoded, str)
