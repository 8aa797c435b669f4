"""ELECTRA-style pretraining, small (in the style of keras.io masked language modelling and the ELECTRA
pretraining examples of the tf.keras era): a generator (masked LM) and a discriminator (replaced-token
detection) trained together by a Model subclass with its own train_step / test_step: tokens masked with
tf.random.uniform / tf.where, replacements sampled with tf.random.categorical from the generator's logits
under tf.stop_gradient, a masked sparse cross-entropy plus a weighted binary loss under one GradientTape,
loss trackers in the metrics property; then the discriminator's weights saved to .h5 and fine-tuned as a
classifier body."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

VOCAB_SIZE = 40
MASK_ID = 1
SEQ_LEN = 12
EMBED_DIM = 16
BATCH_SIZE = 16

rng = np.random.default_rng(5)
tokens = rng.integers(2, VOCAB_SIZE, size=(128, SEQ_LEN)).astype("int32")
tokens[:, 1::2] = (tokens[:, 0::2] + 1) % VOCAB_SIZE  # a pattern the generator can learn
tokens = np.maximum(tokens, 2)


def transformer_body(name, vocab_size, embed_dim):
    inputs = layers.Input((SEQ_LEN,), dtype=tf.int32, name=name + "_tokens")
    x = layers.Embedding(vocab_size, embed_dim, name=name + "_embedding")(inputs)
    positions = tf.range(start=0, limit=SEQ_LEN, delta=1)
    x = x + layers.Embedding(SEQ_LEN, embed_dim, name=name + "_position")(positions)
    attn = layers.MultiHeadAttention(num_heads=2, key_dim=embed_dim // 2, name=name + "_attention")(x, x)
    x = layers.LayerNormalization(epsilon=1e-6)(x + attn)
    ffn = layers.Dense(embed_dim * 2, activation="relu")(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x + layers.Dense(embed_dim)(ffn))
    return inputs, x


g_in, g_hidden = transformer_body("generator", VOCAB_SIZE, EMBED_DIM // 2)
generator = keras.Model(g_in, layers.Dense(VOCAB_SIZE, name="mlm_logits")(g_hidden), name="generator")
d_in, d_hidden = transformer_body("discriminator", VOCAB_SIZE, EMBED_DIM)
discriminator = keras.Model(d_in, tf.squeeze(layers.Dense(1, name="rtd_logits")(d_hidden), -1), name="discriminator")


class ElectraPretrainer(keras.Model):
    def __init__(self, generator, discriminator, mask_rate=0.15, disc_weight=50.0):
        super(ElectraPretrainer, self).__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.mask_rate = mask_rate
        self.disc_weight = disc_weight
        self.mlm_loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=tf.keras.losses.Reduction.NONE)
        self.disc_loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mlm_tracker = keras.metrics.Mean(name="mlm_loss")
        self.disc_acc = keras.metrics.BinaryAccuracy(name="disc_accuracy", threshold=0.0)

    @property
    def metrics(self):
        return [self.loss_tracker, self.mlm_tracker, self.disc_acc]

    def mask_tokens(self, inputs):
        is_masked = tf.random.uniform(tf.shape(inputs)) < self.mask_rate
        masked_inputs = tf.where(is_masked, MASK_ID, inputs)
        return masked_inputs, tf.cast(is_masked, tf.float32)

    def corrupt(self, inputs, mlm_logits, is_masked):
        flat_logits = tf.reshape(mlm_logits, [-1, VOCAB_SIZE])
        sampled = tf.random.categorical(tf.stop_gradient(flat_logits), 1, dtype=tf.int32)
        sampled = tf.reshape(sampled, tf.shape(inputs))
        corrupted = tf.where(is_masked > 0, sampled, inputs)
        replaced = tf.cast(tf.not_equal(corrupted, inputs), tf.float32)
        return corrupted, replaced

    def compute_losses(self, inputs, training):
        masked_inputs, is_masked = self.mask_tokens(inputs)
        mlm_logits = self.generator(masked_inputs, training=training)
        per_token = self.mlm_loss_fn(inputs, mlm_logits)
        mlm_loss = tf.reduce_sum(per_token * is_masked) / (tf.reduce_sum(is_masked) + 1e-6)
        corrupted, replaced = self.corrupt(inputs, mlm_logits, is_masked)
        disc_logits = self.discriminator(corrupted, training=training)
        disc_loss = self.disc_loss_fn(replaced, disc_logits)
        return mlm_loss, disc_loss, replaced, disc_logits

    def train_step(self, inputs):
        with tf.GradientTape() as tape:
            mlm_loss, disc_loss, replaced, disc_logits = self.compute_losses(inputs, training=True)
            loss = mlm_loss + self.disc_weight * disc_loss
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        self.loss_tracker.update_state(loss)
        self.mlm_tracker.update_state(mlm_loss)
        self.disc_acc.update_state(replaced, disc_logits)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, inputs):
        mlm_loss, disc_loss, replaced, disc_logits = self.compute_losses(inputs, training=False)
        self.loss_tracker.update_state(mlm_loss + self.disc_weight * disc_loss)
        self.mlm_tracker.update_state(mlm_loss)
        self.disc_acc.update_state(replaced, disc_logits)
        return {m.name: m.result() for m in self.metrics}


train_ds = tf.data.Dataset.from_tensor_slices(tokens[:112]).shuffle(112, seed=3).batch(BATCH_SIZE)
val_ds = tf.data.Dataset.from_tensor_slices(tokens[112:]).batch(BATCH_SIZE)

pretrainer = ElectraPretrainer(generator, discriminator)
pretrainer.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3))
history = pretrainer.fit(train_ds, validation_data=val_ds, epochs=2, verbose=0)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})

discriminator.save_weights("electra_discriminator.h5")

# Fine-tune the discriminator body as a sequence classifier.
d_in2, d_hidden2 = transformer_body("discriminator", VOCAB_SIZE, EMBED_DIM)
body = keras.Model(d_in2, d_hidden2, name="discriminator_body")
pretrained = keras.Model(d_in2, tf.squeeze(layers.Dense(1, name="rtd_logits")(d_hidden2), -1))
pretrained.load_weights("electra_discriminator.h5")
pooled = layers.GlobalAveragePooling1D()(body.output)
classifier = keras.Model(body.input, layers.Dense(2, activation="softmax")(pooled), name="classifier")
classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
cls_labels = (tokens[:, 0] % 2).astype("int32")
classifier.fit(tokens, cls_labels, batch_size=BATCH_SIZE, epochs=1, verbose=0)
print("classifier accuracy:", classifier.evaluate(tokens, cls_labels, verbose=0)[1])
