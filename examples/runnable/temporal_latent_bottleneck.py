"""keras.io "When Recurrence meets Transformers" (Temporal Latent Bottleneck), tf.keras era, shrunk to random
16x16 images: tf.data with a keras.Sequential augmentation (Rescaling, RandomFlip, RandomCrop) mapped over the
dataset; a PatchEmbedding layer (strided Conv2D, Reshape, an Embedding over tf.range positions kept in __init__,
LayerNormalization) that chunks the tokens with tf.split + tf.stack; attention blocks with MultiHeadAttention
returning attention scores kept on the layer; a CustomRecurrentCell whose state_size / output_size are
tf.TensorShape, with a perceptual module (self- and cross-attention over the slow stream) and a Temporal Latent
Bottleneck cross-attention, wrapped in layers.RNN; a ModelTrainer(keras.Model) with a tf.reshape of the RNN
output, AdamW from optimizers.experimental, fit / evaluate, save_weights / load_weights to .h5, then attention
score extraction with the cell's get_attn_scores flag, tf.stack and tf.reduce_mean."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

config = {
    "image_size": 16,
    "patch_size": 4,
    "embed_dim": 16,
    "chunk_size": 8,
    "r": 1,
    "num_layers": 1,
    "ffn_drop": 0.1,
    "num_heads": 2,
    "key_dim": 8,
    "attn_drop": 0.1,
    "batch_size": 16,
    "epochs": 1,
    "learning_rate": 1e-3,
    "weight_decay": 1e-4,
    "num_classes": 10,
}

rng = np.random.default_rng(27)
x_train = rng.integers(0, 256, size=(64, 18, 18, 3)).astype("uint8")
y_train = rng.integers(0, config["num_classes"], size=(64, 1))
x_test = rng.integers(0, 256, size=(32, 18, 18, 3)).astype("uint8")
y_test = rng.integers(0, config["num_classes"], size=(32, 1))

train_augmentation = keras.Sequential(
    [
        layers.Rescaling(scale=1.0 / 255),
        layers.RandomCrop(config["image_size"], config["image_size"]),
        layers.RandomFlip("horizontal"),
    ],
    name="train_data_augmentation",
)
test_augmentation = keras.Sequential(
    [
        layers.Rescaling(scale=1.0 / 255),
        layers.Resizing(config["image_size"], config["image_size"]),
    ],
    name="test_data_augmentation",
)

train_ds = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .map(lambda image, label: (train_augmentation(image), label), num_parallel_calls=tf.data.AUTOTUNE)
    .shuffle(64)
    .batch(config["batch_size"], num_parallel_calls=tf.data.AUTOTUNE)
    .prefetch(tf.data.AUTOTUNE)
)
test_ds = (
    tf.data.Dataset.from_tensor_slices((x_test, y_test))
    .map(lambda image, label: (test_augmentation(image), label), num_parallel_calls=tf.data.AUTOTUNE)
    .batch(config["batch_size"])
    .prefetch(tf.data.AUTOTUNE)
)


class PatchEmbedding(layers.Layer):
    """Image to Patch Embedding, chunked into groups of `chunk_size` tokens."""

    def __init__(self, image_size, patch_size, embed_dim, chunk_size, **kwargs):
        super().__init__(**kwargs)
        self.num_patches = (image_size // patch_size) ** 2
        self.embed_dim = embed_dim
        self.chunk_size = chunk_size
        self.positions = tf.range(start=0, limit=self.num_patches, delta=1)
        self.projection = layers.Conv2D(filters=embed_dim, kernel_size=patch_size, strides=patch_size,
                                        name="projection")
        self.flatten = layers.Reshape(target_shape=(-1, embed_dim), name="flatten")
        self.position_embedding = layers.Embedding(input_dim=self.num_patches, output_dim=embed_dim,
                                                   name="position_embedding")
        self.layernorm = layers.LayerNormalization(epsilon=1e-5, name="layernorm")

    def call(self, inputs):
        x = self.projection(inputs)
        x = self.flatten(x)
        x = x + self.position_embedding(self.positions)
        x = self.layernorm(x)
        # Chunk the tokens: (batch, num_chunks, chunk_size, embed_dim)
        chunks = tf.split(x, num_or_size_splits=self.num_patches // self.chunk_size, axis=1)
        return tf.stack(chunks, axis=1)


class FeedForwardNetwork(layers.Layer):
    def __init__(self, dims, dropout, **kwargs):
        super().__init__(**kwargs)
        self.ffn = keras.Sequential(
            [
                layers.Dense(units=4 * dims, activation=tf.nn.gelu),
                layers.Dense(units=dims),
                layers.Dropout(rate=dropout),
            ],
            name="ffn",
        )
        self.add = layers.Add(name="add")
        self.layernorm = layers.LayerNormalization(epsilon=1e-5, name="layernorm")

    def call(self, inputs):
        x = self.layernorm(inputs)
        return self.add([inputs, self.ffn(x)])


class BaseAttention(layers.Layer):
    def __init__(self, num_heads, key_dim, dropout, **kwargs):
        super().__init__(**kwargs)
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim, dropout=dropout, name="mha")
        self.q_layernorm = layers.LayerNormalization(epsilon=1e-5, name="q_layernorm")
        self.k_layernorm = layers.LayerNormalization(epsilon=1e-5, name="k_layernorm")
        self.v_layernorm = layers.LayerNormalization(epsilon=1e-5, name="v_layernorm")
        self.add = layers.Add(name="add")
        self.attn_scores = None

    def call(self, input_query, key, value):
        query = self.q_layernorm(input_query)
        key = self.k_layernorm(key)
        value = self.v_layernorm(value)
        (attn_outs, attn_scores) = self.mha(query=query, key=key, value=value, return_attention_scores=True)
        # Save the attention scores for later visualization.
        self.attn_scores = attn_scores
        return self.add([input_query, attn_outs])


class AttentionWithFFN(layers.Layer):
    def __init__(self, ffn_dims, ffn_dropout, num_heads, key_dim, attn_dropout, **kwargs):
        super().__init__(**kwargs)
        self.attention = BaseAttention(num_heads=num_heads, key_dim=key_dim, dropout=attn_dropout,
                                       name="base_attn")
        self.ffn = FeedForwardNetwork(dims=ffn_dims, dropout=ffn_dropout, name="ffn")
        self.attn_scores = None

    def call(self, query, key, value):
        x = self.attention(query, key, value)
        self.attn_scores = self.attention.attn_scores
        return self.ffn(x)


class CustomRecurrentCell(layers.Layer):
    """Custom Recurrent Cell: a fast stream (the chunk) and a slow stream (the state)."""

    def __init__(self, chunk_size, r, num_layers, ffn_dims, ffn_dropout, num_heads, key_dim, attn_dropout,
                 **kwargs):
        super().__init__(**kwargs)
        self.chunk_size = chunk_size
        self.r = r
        self.num_layers = num_layers
        self.ffn_dims = ffn_dims
        # Create the state_size and output_size: important for custom recurrence logic.
        self.state_size = tf.TensorShape([chunk_size, ffn_dims])
        self.output_size = tf.TensorShape([chunk_size, ffn_dims])

        self.get_attn_scores = False
        self.attn_scores = []

        # Perceptual Module
        perceptual_module = list()
        for layer_idx in range(num_layers):
            perceptual_module.append(
                AttentionWithFFN(ffn_dims=ffn_dims, ffn_dropout=ffn_dropout, num_heads=num_heads,
                                 key_dim=key_dim, attn_dropout=attn_dropout, name=f"pm_self_attn_{layer_idx}")
            )
            if layer_idx % r == 0:
                perceptual_module.append(
                    AttentionWithFFN(ffn_dims=ffn_dims, ffn_dropout=ffn_dropout, num_heads=num_heads,
                                     key_dim=key_dim, attn_dropout=attn_dropout,
                                     name=f"pm_cross_attn_ffn_{layer_idx}")
                )
        self.perceptual_module = perceptual_module

        # Temporal Latent Bottleneck Module
        self.tlb_module = AttentionWithFFN(ffn_dims=ffn_dims, ffn_dropout=ffn_dropout, num_heads=num_heads,
                                           key_dim=key_dim, attn_dropout=attn_dropout, name="tlb_cross_attn_ffn")

    def call(self, inputs, states):
        # inputs => (batch, chunk_size, dims); states => [(batch, chunk_size, units)]
        slow_stream = states[0]
        fast_stream = inputs

        for layer_idx, layer in enumerate(self.perceptual_module):
            fast_stream = layer(query=fast_stream, key=fast_stream, value=fast_stream)
            if layer_idx % self.r == 0:
                fast_stream = layer(query=fast_stream, key=slow_stream, value=slow_stream)

        slow_stream = self.tlb_module(query=slow_stream, key=fast_stream, value=fast_stream)

        # Save the attention scores for later visualization.
        if self.get_attn_scores:
            self.attn_scores.append(self.tlb_module.attn_scores)

        return fast_stream, [slow_stream]


class ModelTrainer(keras.Model):
    def __init__(self, patch_layer, custom_cell, **kwargs):
        super().__init__(**kwargs)
        self.patch_layer = patch_layer
        self.rnn = layers.RNN(custom_cell, return_sequences=True, name="rnn")
        self.gap = layers.GlobalAveragePooling1D(name="gap")
        self.head = layers.Dense(config["num_classes"], activation="softmax", dtype="float32", name="head")

    def call(self, inputs):
        x = self.patch_layer(inputs)
        x = self.rnn(x)
        # (batch, num_chunks, chunk_size, dims) -> (batch, tokens, dims)
        x = tf.reshape(x, (-1, tf.shape(x)[1] * tf.shape(x)[2], config["embed_dim"]))
        x = self.gap(x)
        return self.head(x)


patch_layer = PatchEmbedding(
    image_size=config["image_size"],
    patch_size=config["patch_size"],
    embed_dim=config["embed_dim"],
    chunk_size=config["chunk_size"],
)
custom_rnn_cell = CustomRecurrentCell(
    chunk_size=config["chunk_size"],
    r=config["r"],
    num_layers=config["num_layers"],
    ffn_dims=config["embed_dim"],
    ffn_dropout=config["ffn_drop"],
    num_heads=config["num_heads"],
    key_dim=config["key_dim"],
    attn_dropout=config["attn_drop"],
)
model = ModelTrainer(patch_layer=patch_layer, custom_cell=custom_rnn_cell)

optimizer = keras.optimizers.experimental.AdamW(
    learning_rate=config["learning_rate"], weight_decay=config["weight_decay"]
)
model.compile(
    optimizer=optimizer,
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(5, name="top-5-accuracy")],
)
history = model.fit(train_ds, epochs=config["epochs"], validation_data=test_ds)
loss, accuracy, top_5_accuracy = model.evaluate(test_ds)
print(f"Loss: {loss:0.2f}, Top 1 test accuracy: {accuracy * 100:0.2f}%")

model.save_weights("tlb_weights.h5")
restored = ModelTrainer(
    patch_layer=PatchEmbedding(config["image_size"], config["patch_size"], config["embed_dim"],
                               config["chunk_size"]),
    custom_cell=CustomRecurrentCell(config["chunk_size"], config["r"], config["num_layers"], config["embed_dim"],
                                    config["ffn_drop"], config["num_heads"], config["key_dim"],
                                    config["attn_drop"]),
)
images, labels = next(iter(test_ds))
restored(images)
restored.load_weights("tlb_weights.h5")
np.testing.assert_allclose(restored.predict(images, verbose=0), model.predict(images, verbose=0), atol=1e-5)

# Attention scores of the Temporal Latent Bottleneck for one batch.
custom_rnn_cell.get_attn_scores = True
outputs = model(images)
attn_scores = tf.stack(custom_rnn_cell.attn_scores, axis=1)  # (batch, chunks, heads, chunk, chunk)
mean_scores = tf.reduce_mean(attn_scores, axis=2)
print("attention:", attn_scores.shape, "mean over heads:", mean_scores.shape, outputs.shape)
assert mean_scores.shape[1] >= (config["image_size"] // config["patch_size"]) ** 2 // config["chunk_size"]
