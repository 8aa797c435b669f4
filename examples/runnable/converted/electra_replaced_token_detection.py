"""ELECTRA-style pretraining, small (in the style of keras.io masked language modelling and the ELECTRA
pretraining examples of the tf.keras era): a generator (masked LM) and a discriminator (replaced-token
detection) trained together by a Model subclass with its own train_step / test_step: tokens masked with
tf.random.uniform / tf.where, replacements sampled with tf.random.categorical from the generator's logits
under tf.stop_gradient, a masked sparse cross-entropy plus a weighted binary loss under one GradientTape,
loss trackers in the metrics property; then the discriminator's weights saved to .h5 and fine-tuned as a
classifier body.

Keras 3 conversion: the masking, the generator, the sampling (keras.random.categorical with a SeedGenerator,
under ops.stop_gradient) and the discriminator run in the pretrainer's call(); compute_loss combines the two
losses and compute_metrics updates the trackers, so Keras' own train and test steps run on every backend
(no GradientTape); the positions are a layer (a TF op on a KerasTensor is not allowed); the weights file is
.weights.h5; reduction=None replaces Reduction.NONE."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

VOCAB_SIZE = 40
MASK_ID = 1
SEQ_LEN = 12
EMBED_DIM = 16
BATCH_SIZE = 16

rng = np.random.default_rng(5)
tokens = rng.integers(2, VOCAB_SIZE, size=(128, SEQ_LEN)).astype("int32")
tokens[:, 1::2] = (tokens[:, 0::2] + 1) % VOCAB_SIZE  # a pattern the generator can learn
tokens = np.maximum(tokens, 2)


class PositionEmbedding(layers.Layer):
    def __init__(self, sequence_length, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.position = layers.Embedding(sequence_length, embed_dim)

    def call(self, x):
        return x + self.position(ops.arange(ops.shape(x)[1]))


def transformer_body(name, vocab_size, embed_dim):
    inputs = layers.Input((SEQ_LEN,), dtype="int32", name=name + "_tokens")
    x = layers.Embedding(vocab_size, embed_dim, name=name + "_embedding")(inputs)
    x = PositionEmbedding(SEQ_LEN, embed_dim, name=name + "_position")(x)
    attn = layers.MultiHeadAttention(num_heads=2, key_dim=embed_dim // 2, name=name + "_attention")(x, x)
    x = layers.LayerNormalization(epsilon=1e-6)(x + attn)
    ffn = layers.Dense(embed_dim * 2, activation="relu")(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x + layers.Dense(embed_dim)(ffn))
    return inputs, x


g_in, g_hidden = transformer_body("generator", VOCAB_SIZE, EMBED_DIM // 2)
generator = keras.Model(g_in, layers.Dense(VOCAB_SIZE, name="mlm_logits")(g_hidden), name="generator")
d_in, d_hidden = transformer_body("discriminator", VOCAB_SIZE, EMBED_DIM)
discriminator = keras.Model(d_in, ops.squeeze(layers.Dense(1, name="rtd_logits")(d_hidden), -1), name="discriminator")


class ElectraPretrainer(keras.Model):
    def __init__(self, generator, discriminator, mask_rate=0.15, disc_weight=50.0):
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.mask_rate = mask_rate
        self.disc_weight = disc_weight
        self.seed_generator = keras.random.SeedGenerator(1337)
        self.mlm_loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)
        self.disc_loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mlm_tracker = keras.metrics.Mean(name="mlm_loss")
        self.disc_acc = keras.metrics.BinaryAccuracy(name="disc_accuracy", threshold=0.0)

    @property
    def metrics(self):
        return [self.loss_tracker, self.mlm_tracker, self.disc_acc]

    def mask_tokens(self, inputs):
        is_masked = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator) < self.mask_rate
        masked_inputs = ops.where(is_masked, MASK_ID, inputs)
        return masked_inputs, ops.cast(is_masked, "float32")

    def corrupt(self, inputs, mlm_logits, is_masked):
        flat_logits = ops.reshape(mlm_logits, [-1, VOCAB_SIZE])
        sampled = keras.random.categorical(ops.stop_gradient(flat_logits), 1, dtype="int32", seed=self.seed_generator)
        sampled = ops.reshape(sampled, ops.shape(inputs))
        corrupted = ops.where(is_masked > 0, sampled, inputs)
        replaced = ops.cast(ops.not_equal(corrupted, inputs), "float32")
        return corrupted, replaced

    def call(self, inputs, training=False):
        masked_inputs, is_masked = self.mask_tokens(inputs)
        mlm_logits = self.generator(masked_inputs, training=training)
        corrupted, replaced = self.corrupt(inputs, mlm_logits, is_masked)
        disc_logits = self.discriminator(corrupted, training=training)
        return {"mlm_logits": mlm_logits, "is_masked": is_masked, "replaced": replaced, "disc_logits": disc_logits}

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        per_token = self.mlm_loss_fn(x, y_pred["mlm_logits"])
        is_masked = y_pred["is_masked"]
        mlm_loss = ops.sum(per_token * is_masked) / (ops.sum(is_masked) + 1e-6)
        disc_loss = self.disc_loss_fn(y_pred["replaced"], y_pred["disc_logits"])
        loss = mlm_loss + self.disc_weight * disc_loss
        self.loss_tracker.update_state(loss)
        self.mlm_tracker.update_state(mlm_loss)
        return loss

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        self.disc_acc.update_state(y_pred["replaced"], y_pred["disc_logits"])
        return {m.name: m.result() for m in self.metrics}


train_ds = tf.data.Dataset.from_tensor_slices(tokens[:112]).shuffle(112, seed=3).batch(BATCH_SIZE)
val_ds = tf.data.Dataset.from_tensor_slices(tokens[112:]).batch(BATCH_SIZE)

pretrainer = ElectraPretrainer(generator, discriminator)
pretrainer.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3))
history = pretrainer.fit(train_ds, validation_data=val_ds, epochs=2, verbose=0)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})

discriminator.save_weights("electra_discriminator.weights.h5")

# Fine-tune the discriminator body as a sequence classifier.
d_in2, d_hidden2 = transformer_body("discriminator", VOCAB_SIZE, EMBED_DIM)
body = keras.Model(d_in2, d_hidden2, name="discriminator_body")
pretrained = keras.Model(d_in2, ops.squeeze(layers.Dense(1, name="rtd_logits")(d_hidden2), -1))
pretrained.load_weights("electra_discriminator.weights.h5")
pooled = layers.GlobalAveragePooling1D()(body.output)
classifier = keras.Model(body.input, layers.Dense(2, activation="softmax")(pooled), name="classifier")
classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
cls_labels = (tokens[:, 0] % 2).astype("int32")
classifier.fit(tokens, cls_labels, batch_size=BATCH_SIZE, epochs=1, verbose=0)
print("classifier accuracy:", classifier.evaluate(tokens, cls_labels, verbose=0)[1])
