"""Masked language model pretraining (BERT style) with a custom train_step and sample weights.

In the style of the tf.keras-era keras.io example "End-to-end Masked Language Modeling with BERT":
a TextVectorization layer with a custom standardization (tf.strings ops) adapted outside the
model, NumPy masking that yields (masked ids, labels, sample_weights), a functional BERT encoder
whose position embedding is an Embedding given `weights=[sinusoidal matrix]` and called on
tf.range, and a MaskedLanguageModel(tf.keras.Model) whose train_step unpacks
`features, labels, sample_weight = inputs`, computes a per-token loss with
`reduction=tf.keras.losses.Reduction.NONE` and applies the gradients itself, with a module-level
loss tracker exposed through a `metrics` property. A callback predicts the masked token, the model
is saved to HDF5 and reloaded, and a classifier is fine-tuned on a frozen slice of the encoder.
Synthetic reviews stand in for IMDB.
"""
import re

import numpy as np
import tensorflow as tf  # text standardization and tf.data only
import keras
from keras import layers
from keras import ops
from keras.layers import TextVectorization

keras.utils.set_random_seed(3)
np.random.seed(3)


class Config:
    MAX_LEN = 16
    BATCH_SIZE = 16
    LR = 0.001
    VOCAB_SIZE = 20
    EMBED_DIM = 16
    NUM_HEAD = 2
    FF_DIM = 16
    NUM_LAYERS = 1


config = Config()

words = ["movie", "film", "great", "bad", "plot", "actor", "boring", "awesome", "story", "scene",
         "i", "have", "watched", "this", "and", "it", "was", "the", "a", "very", "not", "good"]
texts = [" ".join(np.random.choice(words, size=np.random.randint(6, 14))) + "<br />!" for _ in range(96)]
sentiments = np.random.randint(0, 2, size=len(texts))


def custom_standardization(input_data):
    lowercase = tf.strings.lower(input_data)
    stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
    return tf.strings.regex_replace(stripped_html, "[%s]" % re.escape("!#$%&'()*+,-./:;<=>?@\\^_`{|}~"), "")


def get_vectorize_layer(texts, vocab_size, max_seq, special_tokens=["[MASK]"]):
    vectorize_layer = TextVectorization(
        max_tokens=vocab_size,
        output_mode="int",
        standardize=custom_standardization,
        output_sequence_length=max_seq,
    )
    vectorize_layer.adapt(texts)
    vocab = vectorize_layer.get_vocabulary()
    vocab = vocab[2 : vocab_size - len(special_tokens)] + ["[mask]"]
    vectorize_layer.set_vocabulary(vocab)
    return vectorize_layer


vectorize_layer = get_vectorize_layer(texts, config.VOCAB_SIZE, config.MAX_LEN, special_tokens=["[mask]"])
mask_token_id = ops.convert_to_numpy(vectorize_layer(["[mask]"]))[0][0]


def encode(texts):
    encoded_texts = vectorize_layer(texts)
    return ops.convert_to_numpy(encoded_texts)


def get_masked_input_and_labels(encoded_texts):
    inp_mask = np.random.rand(*encoded_texts.shape) < 0.15
    inp_mask[encoded_texts <= 2] = False
    labels = -1 * np.ones(encoded_texts.shape, dtype=int)
    labels[inp_mask] = encoded_texts[inp_mask]
    encoded_texts_masked = np.copy(encoded_texts)
    inp_mask_2mask = inp_mask & (np.random.rand(*encoded_texts.shape) < 0.90)
    encoded_texts_masked[inp_mask_2mask] = mask_token_id
    inp_mask_2random = inp_mask_2mask & (np.random.rand(*encoded_texts.shape) < 1 / 9)
    encoded_texts_masked[inp_mask_2random] = np.random.randint(3, mask_token_id, inp_mask_2random.sum())
    sample_weights = np.ones(labels.shape)
    sample_weights[labels == -1] = 0
    y_labels = np.copy(encoded_texts)
    return encoded_texts_masked, y_labels, sample_weights


x_train = encode(texts)
y_train = sentiments
train_classifier_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(100).batch(config.BATCH_SIZE)

x_masked_train, y_masked_labels, sample_weights = get_masked_input_and_labels(x_train)
mlm_ds = tf.data.Dataset.from_tensor_slices((x_masked_train, y_masked_labels, sample_weights))
mlm_ds = mlm_ds.shuffle(100).batch(config.BATCH_SIZE)


def bert_module(query, key, value, i):
    attention_output = layers.MultiHeadAttention(
        num_heads=config.NUM_HEAD,
        key_dim=config.EMBED_DIM // config.NUM_HEAD,
        name="encoder_{}_multiheadattention".format(i),
    )(query, key, value)
    attention_output = layers.Dropout(0.1, name="encoder_{}_att_dropout".format(i))(attention_output)
    attention_output = layers.LayerNormalization(epsilon=1e-6, name="encoder_{}_att_layernormalization".format(i))(
        query + attention_output
    )
    ffn = keras.Sequential(
        [layers.Dense(config.FF_DIM, activation="relu"), layers.Dense(config.EMBED_DIM)],
        name="encoder_{}_ffn".format(i),
    )
    ffn_output = ffn(attention_output)
    ffn_output = layers.Dropout(0.1, name="encoder_{}_ffn_dropout".format(i))(ffn_output)
    sequence_output = layers.LayerNormalization(epsilon=1e-6, name="encoder_{}_ffn_layernormalization".format(i))(
        attention_output + ffn_output
    )
    return sequence_output


def get_pos_encoding_matrix(max_len, d_emb):
    pos_enc = np.array(
        [[pos / np.power(10000, 2 * (j // 2) / d_emb) for j in range(d_emb)] if pos != 0 else np.zeros(d_emb)
         for pos in range(max_len)]
    )
    pos_enc[1:, 0::2] = np.sin(pos_enc[1:, 0::2])
    pos_enc[1:, 1::2] = np.cos(pos_enc[1:, 1::2])
    return pos_enc


@keras.saving.register_keras_serializable()
class PositionEmbedding(layers.Layer):
    def __init__(self, max_len, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.max_len, self.embed_dim = max_len, embed_dim
        self.embedding = layers.Embedding(
            input_dim=max_len, output_dim=embed_dim, weights=[get_pos_encoding_matrix(max_len, embed_dim)]
        )

    def call(self, x):
        return x + self.embedding(ops.arange(0, ops.shape(x)[1], 1))

    def get_config(self):
        return {**super().get_config(), "max_len": self.max_len, "embed_dim": self.embed_dim}


loss_fn = keras.losses.SparseCategoricalCrossentropy(reduction=None)
loss_tracker = keras.metrics.Mean(name="loss")


@keras.saving.register_keras_serializable()
class MaskedLanguageModel(keras.Model):
    # fit() unpacks (features, labels, sample_weight) and runs the step on every backend;
    # the per-token loss (reduction=None) is summed, as the gradient of the tape was.
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = loss_fn(y, y_pred, sample_weight=sample_weight)
        loss_tracker.update_state(loss, sample_weight=sample_weight)
        return ops.sum(loss)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        return {"loss": loss_tracker.result()}

    @property
    def metrics(self):
        return [loss_tracker]


def create_masked_language_bert_model():
    inputs = layers.Input((config.MAX_LEN,), dtype="int64")
    word_embeddings = layers.Embedding(config.VOCAB_SIZE, config.EMBED_DIM, name="word_embedding")(inputs)
    # A layer called on a constant inside functional construction is computed once, eagerly (and
    # on PyTorch its graph is freed after the first step): positions are looked up inside a layer.
    embeddings = PositionEmbedding(config.MAX_LEN, config.EMBED_DIM, name="position_embedding")(word_embeddings)

    encoder_output = embeddings
    for i in range(config.NUM_LAYERS):
        encoder_output = bert_module(encoder_output, encoder_output, encoder_output, i)

    mlm_output = layers.Dense(config.VOCAB_SIZE, name="mlm_cls", activation="softmax")(encoder_output)
    mlm_model = MaskedLanguageModel(inputs, mlm_output, name="masked_bert_model")
    optimizer = keras.optimizers.Adam(learning_rate=config.LR)
    mlm_model.compile(optimizer=optimizer)
    return mlm_model


id2token = dict(enumerate(vectorize_layer.get_vocabulary()))


class MaskedTextGenerator(keras.callbacks.Callback):
    def __init__(self, sample_tokens, top_k=3):
        self.sample_tokens = sample_tokens
        self.k = top_k

    def decode(self, tokens):
        return " ".join([id2token.get(t, "?") for t in tokens if t != 0])

    def on_epoch_end(self, epoch, logs=None):
        prediction = self.model.predict(self.sample_tokens, verbose=0)
        masked_index = np.where(self.sample_tokens == mask_token_id)[1]
        mask_prediction = prediction[0][masked_index]
        top_indices = mask_prediction[0].argsort()[-self.k :][::-1]
        for p in top_indices:
            tokens = np.copy(self.sample_tokens[0])
            tokens[masked_index[0]] = p
            print({"prediction": self.decode(tokens), "probability": float(mask_prediction[0][p])})


sample_tokens = vectorize_layer(["I have watched this [mask] and it was awesome"])
generator_callback = MaskedTextGenerator(ops.convert_to_numpy(sample_tokens))

bert_masked_model = create_masked_language_bert_model()
history = bert_masked_model.fit(mlm_ds, epochs=2, callbacks=[generator_callback], verbose=0)
assert np.isfinite(history.history["loss"][-1]), history.history
bert_masked_model.save("bert_mlm_synthetic.keras")

mlm_model = keras.models.load_model(
    "bert_mlm_synthetic.keras", custom_objects={"MaskedLanguageModel": MaskedLanguageModel}
)
pretrained_bert_model = keras.Model(
    mlm_model.input, mlm_model.get_layer("encoder_0_ffn_layernormalization").output
)
pretrained_bert_model.trainable = False


def create_classifier_bert_model():
    inputs = layers.Input((config.MAX_LEN,), dtype="int64")
    sequence_output = pretrained_bert_model(inputs)
    pooled_output = layers.GlobalMaxPooling1D()(sequence_output)
    hidden_layer = layers.Dense(8, activation="relu")(pooled_output)
    outputs = layers.Dense(1, activation="sigmoid")(hidden_layer)
    classifer_model = keras.Model(inputs, outputs, name="classification")
    classifer_model.compile(optimizer=keras.optimizers.Adam(), loss="binary_crossentropy", metrics=["accuracy"])
    return classifer_model


classifer_model = create_classifier_bert_model()
classifer_model.fit(train_classifier_ds, epochs=1, verbose=0)
pretrained_bert_model.trainable = True
classifer_model.compile(optimizer=keras.optimizers.Adam(), loss="binary_crossentropy", metrics=["accuracy"])
result = classifer_model.evaluate(train_classifier_ds, verbose=0)
print("classifier loss/accuracy:", result)
