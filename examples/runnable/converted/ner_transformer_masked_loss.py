"""Named entity recognition with a Transformer and a custom non-padding-token loss.

In the style of the tf.keras-era keras.io example "Named Entity Recognition using Transformers":
CoNLL-like records "n<TAB>tokens...<TAB>tags..." parsed in tf.data with tf.strings.split /
tf.strings.to_number, tokens lowercased with tf.strings.lower and mapped to ids by a StringLookup
in the mapped function, padded_batch; a TransformerBlock and a TokenAndPositionEmbedding layer
(tf.shape(inputs)[-1], tf.range(start=0, limit=maxlen, delta=1)) inside a subclassed NERModel; a
keras.losses.Loss subclass whose call() builds a SparseCategoricalCrossentropy with
reduction=keras.losses.Reduction.NONE and averages over non-padding tokens with tf.cast /
tf.reduce_sum; predictions decoded with tf.argmax(...).numpy() and scored with NumPy.
"""
import numpy as np
import tensorflow as tf  # tf.data parsing only
import keras
from keras import layers
from keras import ops

keras.utils.set_random_seed(11)
rng = np.random.RandomState(11)


class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super(TransformerBlock, self).__init__()
        self.att = keras.layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential(
            [keras.layers.Dense(ff_dim, activation="relu"), keras.layers.Dense(embed_dim)]
        )
        self.layernorm1 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = keras.layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = keras.layers.Dropout(rate)
        self.dropout2 = keras.layers.Dropout(rate)

    def call(self, inputs, training=False):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output, training=training)
        return self.layernorm2(out1 + ffn_output)


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super(TokenAndPositionEmbedding, self).__init__()
        self.token_emb = keras.layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = keras.layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, inputs):
        maxlen = ops.shape(inputs)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        position_embeddings = self.pos_emb(positions)
        token_embeddings = self.token_emb(inputs)
        return token_embeddings + position_embeddings


class NERModel(keras.Model):
    def __init__(self, num_tags, vocab_size, maxlen=128, embed_dim=32, num_heads=2, ff_dim=32):
        super(NERModel, self).__init__()
        self.embedding_layer = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)
        self.transformer_block = TransformerBlock(embed_dim, num_heads, ff_dim)
        self.dropout1 = layers.Dropout(0.1)
        self.ff = layers.Dense(ff_dim, activation="relu")
        self.dropout2 = layers.Dropout(0.1)
        self.ff_final = layers.Dense(num_tags, activation="softmax")

    def call(self, inputs, training=False):
        x = self.embedding_layer(inputs)
        x = self.transformer_block(x)
        x = self.dropout1(x, training=training)
        x = self.ff(x)
        x = self.dropout2(x, training=training)
        x = self.ff_final(x)
        return x


# Synthetic CoNLL-style corpus: tags 1..4 (0 is padding); entity words come from small gazetteers.
mapping = {0: "[PAD]", 1: "O", 2: "B-PER", 3: "B-LOC", 4: "B-ORG"}
gazetteer = {2: ["alice", "bob", "carol"], 3: ["paris", "berlin", "lagos"], 4: ["acme", "initech", "globex"]}
other = ["the", "met", "in", "at", "went", "to", "with", "from", "and", "visited"]


def make_record():
    n = rng.randint(4, 10)
    tokens, tags = [], []
    for _ in range(n):
        tag = rng.choice([1, 1, 1, 2, 3, 4])
        word = rng.choice(other) if tag == 1 else rng.choice(gazetteer[tag])
        tokens.append(word.capitalize() if tag != 1 else word)
        tags.append(str(tag))
    return "\t".join([str(n)] + tokens + tags)


train_records = [make_record() for _ in range(160)]
val_records = [make_record() for _ in range(32)]

vocabulary = sorted({w for ws in gazetteer.values() for w in ws} | set(other))
vocab_size = len(vocabulary) + 2
lookup_layer = keras.layers.StringLookup(vocabulary=vocabulary)


def map_record_to_training_data(record):
    record = tf.strings.split(record, sep="\t")
    length = tf.strings.to_number(record[0], out_type=tf.int32)
    tokens = record[1 : length + 1]
    tags = record[length + 1 :]
    tags = tf.strings.to_number(tags, out_type=tf.int64)
    return tokens, tags


def lowercase_and_convert_to_ids(tokens):
    tokens = tf.strings.lower(tokens)
    return lookup_layer(tokens)


batch_size = 16
train_dataset = (
    tf.data.Dataset.from_tensor_slices(train_records)
    .map(map_record_to_training_data)
    .map(lambda x, y: (lowercase_and_convert_to_ids(x), y))
    .padded_batch(batch_size)
)
val_dataset = (
    tf.data.Dataset.from_tensor_slices(val_records)
    .map(map_record_to_training_data)
    .map(lambda x, y: (lowercase_and_convert_to_ids(x), y))
    .padded_batch(batch_size)
)


class CustomNonPaddingTokenLoss(keras.losses.Loss):
    def __init__(self, name="custom_ner_loss"):
        super().__init__(name=name)

    def call(self, y_true, y_pred):
        loss_fn = keras.losses.SparseCategoricalCrossentropy(
            from_logits=False, reduction="none"
        )
        loss = loss_fn(y_true, y_pred)
        mask = ops.cast((y_true > 0), dtype="float32")
        loss = loss * mask
        return ops.sum(loss) / ops.sum(mask)


num_tags = len(mapping)
ner_model = NERModel(num_tags, vocab_size, embed_dim=16, num_heads=2, ff_dim=16)
loss = CustomNonPaddingTokenLoss()
ner_model.compile(optimizer="adam", loss=loss)
history = ner_model.fit(train_dataset, epochs=3, verbose=0)
assert np.isfinite(history.history["loss"][-1]), history.history


def tokenize_and_convert_to_ids(text):
    tokens = text.split()
    return lowercase_and_convert_to_ids(tokens)


sample_input = tokenize_and_convert_to_ids("Alice went to Paris with Bob")
sample_input = ops.reshape(sample_input, (1, -1))
output = ner_model.predict(sample_input, verbose=0)
prediction = np.argmax(output, axis=-1)[0]
print([mapping[i] for i in prediction])


def calculate_metrics(dataset):
    all_true_tag_ids, all_predicted_tag_ids = [], []
    for x, y in dataset:
        output = ner_model.predict(x, verbose=0)
        predictions = np.argmax(output, axis=-1)
        predictions = np.reshape(predictions, [-1])
        true_tag_ids = np.reshape(y, [-1])
        mask = (true_tag_ids > 0) & (predictions > 0)
        all_true_tag_ids.append(true_tag_ids[mask])
        all_predicted_tag_ids.append(predictions[mask])
    all_true_tag_ids = np.concatenate(all_true_tag_ids)
    all_predicted_tag_ids = np.concatenate(all_predicted_tag_ids)
    return float(np.mean(all_true_tag_ids == all_predicted_tag_ids)) if len(all_true_tag_ids) else 0.0


print("token accuracy on non-padding tokens:", calculate_metrics(val_dataset))
