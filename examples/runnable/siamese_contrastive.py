"""Siamese network with a contrastive loss, written with the Keras backend functions (keras.io, 2021)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import backend as K


def euclidean_distance(vects):
    x, y = vects
    sum_square = K.sum(K.square(x - y), axis=1, keepdims=True)
    return K.sqrt(K.maximum(sum_square, K.epsilon()))


def loss(margin=1):
    def contrastive_loss(y_true, y_pred):
        square_pred = tf.math.square(y_pred)
        margin_square = tf.math.square(tf.math.maximum(margin - (y_pred), 0))
        return tf.math.reduce_mean((1 - y_true) * square_pred + (y_true) * margin_square)
    return contrastive_loss


input = layers.Input((12, 12, 1))
x = layers.BatchNormalization()(input)
x = layers.Conv2D(4, (3, 3), activation="tanh")(x)
x = layers.AveragePooling2D(pool_size=(2, 2))(x)
x = layers.Flatten()(x)
x = layers.Dense(8, activation="tanh")(x)
embedding_network = keras.Model(input, x)

input_1 = layers.Input((12, 12, 1))
input_2 = layers.Input((12, 12, 1))
tower_1 = embedding_network(input_1)
tower_2 = embedding_network(input_2)
merge_layer = layers.Lambda(euclidean_distance)([tower_1, tower_2])
normal_layer = layers.BatchNormalization()(merge_layer)
output_layer = layers.Dense(1, activation="sigmoid")(normal_layer)
siamese = keras.Model(inputs=[input_1, input_2], outputs=output_layer)

siamese.compile(loss=loss(margin=1), optimizer="RMSprop", metrics=["accuracy"])
pairs_1 = np.random.rand(40, 12, 12, 1).astype("float32")
pairs_2 = np.random.rand(40, 12, 12, 1).astype("float32")
labels = np.random.randint(0, 2, size=(40,)).astype("float32")
siamese.fit([pairs_1, pairs_2], labels, batch_size=8, epochs=1, verbose=0)
print(siamese.evaluate([pairs_1, pairs_2], labels, verbose=0))
