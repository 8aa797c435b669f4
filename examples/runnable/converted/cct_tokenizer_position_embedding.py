"""Compact Convolutional Transformer with a learned position embedding (in the style of the tf.keras-era
keras.io "Compact Convolutional Transformers" example), on tiny synthetic images: a convolutional
tokenizer flattening its maps with tf.reshape of tf.shape values, whose positional_embedding() method
runs the tokenizer on a dummy batch, reads the sequence length and width with tf.shape and returns an
Embedding sized by them with that length; the model builder then calls the Embedding on
tf.range(start=0, limit=seq_length, delta=1) and adds the result in place (+=) to the KerasTensors of the
functional model; one Transformer block and sequence pooling with layers."""
import numpy as np
import keras
from keras import layers

np.random.seed(4)
keras.utils.set_random_seed(4)

image_size = 12
num_classes = 3
projection_dim = 8


class ConvTokenizer(layers.Layer):
    def __init__(self, channels=(6, projection_dim), positional_emb=True, **kwargs):
        super(ConvTokenizer, self).__init__(**kwargs)
        self.conv_model = keras.Sequential()
        for filters in channels:
            self.conv_model.add(layers.Conv2D(filters, 3, padding="same", use_bias=False, activation="relu"))
            self.conv_model.add(layers.MaxPool2D(3, 2, "same"))
        self.positional_emb = positional_emb

    def call(self, images):
        outputs = self.conv_model(images)
        shape = keras.ops.shape(outputs)
        return keras.ops.reshape(outputs, (-1, shape[1] * shape[2], shape[-1]))

    def positional_embedding(self, image_size):
        # The sequence length the tokenizer makes, from the shapes alone (no dummy batch).
        if self.positional_emb:
            out_shape = self.compute_output_shape((1, image_size, image_size, 3))
            sequence_length, projection_dim = int(out_shape[1]), int(out_shape[-1])
            return PositionEmbedding(sequence_length, projection_dim), sequence_length
        else:
            return None

    def compute_output_shape(self, input_shape):
        shape = self.conv_model.compute_output_shape(input_shape)
        return (shape[0], shape[1] * shape[2], shape[3])


class PositionEmbedding(layers.Layer):
    """The Embedding over the positions, called inside call(): trained, saved, and a part of the model."""

    def __init__(self, sequence_length, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.sequence_length = sequence_length
        self.embedding = layers.Embedding(input_dim=sequence_length, output_dim=output_dim)

    def call(self, inputs):
        positions = keras.ops.arange(0, self.sequence_length, 1)
        return inputs + self.embedding(positions)


def create_model(positional_emb=True):
    inputs = layers.Input((image_size, image_size, 3))
    tokenizer = ConvTokenizer(positional_emb=positional_emb)
    encoded_patches = tokenizer(inputs)

    if positional_emb:
        pos_embed, seq_length = tokenizer.positional_embedding(image_size)
        encoded_patches = pos_embed(encoded_patches)

    x1 = layers.LayerNormalization(epsilon=1e-5)(encoded_patches)
    attention_output = layers.MultiHeadAttention(num_heads=2, key_dim=projection_dim)(x1, x1)
    x2 = layers.Add()([attention_output, encoded_patches])
    x3 = layers.LayerNormalization(epsilon=1e-5)(x2)
    x3 = layers.Dense(projection_dim, activation="relu")(x3)
    encoded_patches = layers.Add()([x3, x2])

    representation = layers.LayerNormalization(epsilon=1e-5)(encoded_patches)
    attention_weights = layers.Softmax(axis=1)(layers.Dense(1)(representation))
    weighted = layers.Dot(axes=1)([attention_weights, representation])
    logits = layers.Dense(num_classes)(layers.Flatten()(weighted))
    return keras.Model(inputs=inputs, outputs=logits)


x_train = np.random.rand(48, image_size, image_size, 3).astype("float32")
y_train = keras.utils.to_categorical(np.random.randint(0, num_classes, 48), num_classes)

model = create_model()
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
    metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")],
)
history = model.fit(x_train, y_train, batch_size=8, epochs=2, validation_split=0.25, verbose=0)
print("cct history:", {k: round(float(v[-1]), 4) for k, v in history.history.items()})
print("predictions:", model.predict(x_train[:4], verbose=0).shape)
