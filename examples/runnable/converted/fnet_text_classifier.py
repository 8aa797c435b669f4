"""Hand conversion to multi-backend Keras 3: keras.ops.fft on a (real, imaginary) pair instead of
tf.signal.fft on a complex cast (the real part of the 2-D DFT), keras.ops.arange / swapaxes,
train_step replaced by compute_loss (the Keras 3 way to customise the loss on every backend),
the TextVectorization layer applied in tf.data only, and model.save to a `.keras` file.
FNet text classifier on synthetic reviews (in the style of the tf.keras-era keras.io
"Text Classification using FNet" example): a TextVectorization layer adapted on a tf.data
dataset of strings and mapped over it, a token + position embedding layer with tf.range, an
FNet encoder layer mixing tokens with two tf.signal.fft calls on a tf.complex64 cast
(tf.transpose between them) and keeping tf.math.real, a subclassed keras.Model whose
train_step / test_step use tf.GradientTape, self.compiled_loss and self.compiled_metrics,
a PolynomialDecay learning-rate schedule, EarlyStopping, and model.save to a SavedModel
directory reloaded with keras.models.load_model."""
import os
import shutil
import tempfile

import numpy as np
import tensorflow as tf  # tf.data input pipeline only
import keras
from keras import layers, ops

np.random.seed(7)
keras.utils.set_random_seed(7)

BATCH_SIZE = 16
MAX_SEQUENCE_LENGTH = 24
VOCAB_SIZE = 200
EMBED_DIM = 16
INTERMEDIATE_DIM = 32

# --- synthetic "movie reviews": positive reviews use more positive words -------------------
positive_words = ["great", "wonderful", "loved", "superb", "moving", "brilliant"]
negative_words = ["boring", "awful", "hated", "dull", "weak", "terrible"]
filler = ["the", "movie", "film", "plot", "actor", "was", "and", "a", "very", "story", "it"]


def make_reviews(n):
    texts, labels = [], []
    for _ in range(n):
        label = np.random.randint(0, 2)
        mood = positive_words if label == 1 else negative_words
        words = list(np.random.choice(filler, size=np.random.randint(8, 20)))
        for _ in range(3):
            words.insert(np.random.randint(0, len(words)), np.random.choice(mood))
        texts.append(" ".join(words))
        labels.append(label)
    return np.array(texts), np.array(labels, dtype="int32")


train_texts, train_labels = make_reviews(160)
val_texts, val_labels = make_reviews(48)

train_ds = tf.data.Dataset.from_tensor_slices((train_texts, train_labels)).batch(BATCH_SIZE)
val_ds = tf.data.Dataset.from_tensor_slices((val_texts, val_labels)).batch(BATCH_SIZE)

vectorizer = layers.TextVectorization(
    max_tokens=VOCAB_SIZE,
    output_mode="int",
    output_sequence_length=MAX_SEQUENCE_LENGTH,
)
vectorizer.adapt(train_ds.map(lambda text, label: text))


def vectorize_text(text, label):
    return vectorizer(text), label


train_ds = train_ds.map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE).prefetch(
    tf.data.AUTOTUNE
)
val_ds = val_ds.map(vectorize_text, num_parallel_calls=tf.data.AUTOTUNE).prefetch(
    tf.data.AUTOTUNE
)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, vocab_size, sequence_length, embed_dim, **kwargs):
        super(TokenAndPositionEmbedding, self).__init__(**kwargs)
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)
        self.vocab_size = vocab_size
        self.sequence_length = sequence_length
        self.embed_dim = embed_dim

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(0, maxlen, 1)
        positions = self.pos_emb(positions)
        return self.token_emb(x) + positions

    def get_config(self):
        config = super(TokenAndPositionEmbedding, self).get_config()
        config.update(
            {
                "vocab_size": self.vocab_size,
                "sequence_length": self.sequence_length,
                "embed_dim": self.embed_dim,
            }
        )
        return config


class FNetEncoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, dropout=0.1, **kwargs):
        super(FNetEncoder, self).__init__(**kwargs)
        self.embed_dim = embed_dim
        self.dense_dim = dense_dim
        self.dense_proj = keras.Sequential(
            [layers.Dense(dense_dim, activation="gelu"), layers.Dense(embed_dim)]
        )
        self.dropout = layers.Dropout(dropout)
        self.layernorm_1 = layers.LayerNormalization(epsilon=1e-5)
        self.layernorm_2 = layers.LayerNormalization(epsilon=1e-5)

    def call(self, inputs, training=False):
        # Fourier transform over the hidden dimension, then over the sequence dimension.
        real, imag = ops.fft((inputs, ops.zeros_like(inputs)))
        real, imag = ops.swapaxes(real, 1, 2), ops.swapaxes(imag, 1, 2)
        real, imag = ops.fft((real, imag))
        fft = ops.swapaxes(real, 1, 2)
        proj_input = self.layernorm_1(inputs + fft)
        proj_output = self.dropout(self.dense_proj(proj_input), training=training)
        return self.layernorm_2(proj_input + proj_output)

    def get_config(self):
        config = super(FNetEncoder, self).get_config()
        config.update({"embed_dim": self.embed_dim, "dense_dim": self.dense_dim})
        return config


class FNetClassifier(keras.Model):
    """The custom train_step / test_step only recomputed the compiled loss and metrics, which
    Keras 3 fit() / evaluate() do on every backend."""

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return super().compute_loss(
            x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=training
        )


def build_fnet():
    inputs = keras.Input(shape=(None,), dtype="int64", name="input_ids")
    x = TokenAndPositionEmbedding(VOCAB_SIZE, MAX_SEQUENCE_LENGTH, EMBED_DIM)(inputs)
    x = FNetEncoder(EMBED_DIM, INTERMEDIATE_DIM)(x)
    x = FNetEncoder(EMBED_DIM, INTERMEDIATE_DIM)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return FNetClassifier(inputs, outputs, name="fnet_classifier")


fnet_classifier = build_fnet()
fnet_classifier.summary()

lr_schedule = keras.optimizers.schedules.PolynomialDecay(
    initial_learning_rate=1e-3, decay_steps=50, end_learning_rate=1e-4
)
fnet_classifier.compile(
    optimizer=keras.optimizers.Adam(learning_rate=lr_schedule),
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
history = fnet_classifier.fit(
    train_ds,
    epochs=1,
    validation_data=val_ds,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)],
    verbose=2,
)
print("history keys:", sorted(history.history))

loss, accuracy = fnet_classifier.evaluate(val_ds, verbose=0)
print("val loss %.4f accuracy %.4f" % (loss, accuracy))

# End-to-end string model for inference.
# (A string Input only exists on the TensorFlow backend: vectorize first, then predict.)
indices = vectorizer(tf.constant(["loved the great movie", "dull awful plot"]))
probabilities = fnet_classifier.predict(np.asarray(indices), verbose=0)
print("end-to-end predictions:", probabilities.shape)

# Save the trained classifier to a SavedModel directory and reload it.
save_dir = os.path.join(tempfile.mkdtemp(), "fnet_classifier.keras")
fnet_classifier.save(save_dir)
reloaded = keras.models.load_model(
    save_dir,
    custom_objects={
        "TokenAndPositionEmbedding": TokenAndPositionEmbedding,
        "FNetEncoder": FNetEncoder,
        "FNetClassifier": FNetClassifier,
    },
)
sample = np.asarray(next(iter(val_ds))[0])
np.testing.assert_allclose(
    reloaded.predict(sample, verbose=0), fnet_classifier.predict(sample, verbose=0), atol=1e-5
)
shutil.rmtree(os.path.dirname(save_dir))
print("FNet text classifier done")
