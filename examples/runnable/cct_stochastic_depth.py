"""Compact Convolutional Transformer on tiny synthetic images (in the style of the tf.keras-era
keras.io "Compact Convolutional Transformers" and ConvMixer examples): a convolutional tokenizer
whose output is flattened with a tf.reshape of tf.shape values, a learned positional embedding made
with add_weight, a StochasticDepth layer drawing tf.random.uniform and tf.floor inside
call(x, training=None), sequence pooling in the functional graph with tf.nn.softmax,
tf.matmul(transpose_a=True) and tf.squeeze on KerasTensors, a ConvMixer-style block with
DepthwiseConv2D and the functional residual, label smoothing and
tf.keras.optimizers.experimental.AdamW."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

np.random.seed(2)
tf.random.set_seed(2)

image_size = 16
input_shape = (image_size, image_size, 3)
num_classes = 3
projection_dim = 16
num_heads = 2
transformer_units = [projection_dim, projection_dim]
transformer_layers = 2
stochastic_depth_rate = 0.1


class CCTTokenizer(layers.Layer):
    def __init__(self, kernel_size=3, stride=1, padding=1, pooling_kernel_size=3, pooling_stride=2,
                 num_conv_layers=2, num_output_channels=[8, projection_dim], positional_emb=True, **kwargs):
        super(CCTTokenizer, self).__init__(**kwargs)
        self.conv_model = keras.Sequential()
        for i in range(num_conv_layers):
            self.conv_model.add(layers.Conv2D(num_output_channels[i], kernel_size, stride, padding="valid",
                                              use_bias=False, activation="relu",
                                              kernel_initializer="he_normal"))
            self.conv_model.add(layers.ZeroPadding2D(padding))
            self.conv_model.add(layers.MaxPool2D(pooling_kernel_size, pooling_stride, "same"))
        self.positional_emb = positional_emb

    def call(self, images):
        outputs = self.conv_model(images)
        # After passing the images through our mini-network the spatial dimensions
        # are flattened to form sequences.
        reshaped = tf.reshape(
            outputs,
            (-1, tf.shape(outputs)[1] * tf.shape(outputs)[2], tf.shape(outputs)[-1]),
        )
        return reshaped


class PositionEmbedding(layers.Layer):
    def __init__(self, sequence_length, initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.sequence_length = int(sequence_length)
        self.initializer = keras.initializers.get(initializer)

    def build(self, input_shape):
        feature_size = input_shape[-1]
        self.position_embeddings = self.add_weight(
            name="embeddings", shape=[self.sequence_length, feature_size], initializer=self.initializer,
            trainable=True,
        )
        super().build(input_shape)

    def call(self, inputs, start_index=0):
        shape = tf.shape(inputs)
        feature_length = shape[-1]
        sequence_length = shape[-2]
        position_embeddings = tf.convert_to_tensor(self.position_embeddings)
        position_embeddings = tf.slice(position_embeddings, (start_index, 0), (sequence_length, feature_length))
        return tf.broadcast_to(position_embeddings, shape) + inputs


# Referred from: github.com:rwightman/pytorch-image-models.
class StochasticDepth(layers.Layer):
    def __init__(self, drop_prop, **kwargs):
        super(StochasticDepth, self).__init__(**kwargs)
        self.drop_prob = drop_prop

    def call(self, x, training=None):
        if training:
            keep_prob = 1 - self.drop_prob
            shape = (tf.shape(x)[0],) + (1,) * (len(tf.shape(x)) - 1)
            random_tensor = keep_prob + tf.random.uniform(shape, 0, 1)
            random_tensor = tf.floor(random_tensor)
            return (x / keep_prob) * random_tensor
        return x


def mlp(x, hidden_units, dropout_rate):
    for units in hidden_units:
        x = layers.Dense(units, activation=tf.nn.gelu)(x)
        x = layers.Dropout(dropout_rate)(x)
    return x


def conv_mixer_block(x, filters, kernel_size):
    # Depthwise convolution.
    x0 = x
    x = layers.DepthwiseConv2D(kernel_size=kernel_size, padding="same")(x)
    x = layers.Add()([layers.Activation("gelu")(layers.BatchNormalization()(x)), x0])
    # Pointwise convolution.
    x = layers.Conv2D(filters, kernel_size=1)(x)
    return layers.Activation("gelu")(layers.BatchNormalization()(x))


def create_cct_model():
    inputs = layers.Input(input_shape)
    augmented = layers.RandomFlip("horizontal")(inputs)
    augmented = conv_mixer_block(augmented, 3, 3)

    cct_tokenizer = CCTTokenizer()
    encoded_patches = cct_tokenizer(augmented)
    sequence_length = (image_size // 4) ** 2
    encoded_patches = PositionEmbedding(sequence_length=sequence_length)(encoded_patches)

    dpr = [x for x in np.linspace(0, stochastic_depth_rate, transformer_layers)]
    for i in range(transformer_layers):
        x1 = layers.LayerNormalization(epsilon=1e-5)(encoded_patches)
        attention_output = layers.MultiHeadAttention(num_heads=num_heads, key_dim=projection_dim,
                                                     dropout=0.1)(x1, x1)
        attention_output = StochasticDepth(dpr[i])(attention_output)
        x2 = layers.Add()([attention_output, encoded_patches])
        x3 = layers.LayerNormalization(epsilon=1e-5)(x2)
        x3 = mlp(x3, hidden_units=transformer_units, dropout_rate=0.1)
        x3 = StochasticDepth(dpr[i])(x3)
        encoded_patches = layers.Add()([x3, x2])

    # Apply sequence pooling.
    representation = layers.LayerNormalization(epsilon=1e-5)(encoded_patches)
    attention_weights = tf.nn.softmax(layers.Dense(1)(representation), axis=1)
    weighted_representation = tf.matmul(attention_weights, representation, transpose_a=True)
    weighted_representation = tf.squeeze(weighted_representation, -2)

    logits = layers.Dense(num_classes)(weighted_representation)
    return keras.Model(inputs=inputs, outputs=logits)


model = create_cct_model()
optimizer = tf.keras.optimizers.experimental.AdamW(learning_rate=0.001, weight_decay=0.0001)
model.compile(
    optimizer=optimizer,
    loss=keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
    metrics=[keras.metrics.CategoricalAccuracy(name="accuracy"),
             keras.metrics.TopKCategoricalAccuracy(2, name="top-2-accuracy")],
)
x_train = np.random.rand(32, *input_shape).astype("float32")
y_train = keras.utils.to_categorical(np.random.randint(0, num_classes, size=(32,)), num_classes)
history = model.fit(x_train, y_train, batch_size=8, epochs=2, validation_split=0.25, verbose=0)
_, accuracy, top_2 = model.evaluate(x_train, y_train, verbose=0)
print("accuracy", round(accuracy, 3), "top-2", round(top_2, 3))
assert len(history.history["loss"]) == 2
