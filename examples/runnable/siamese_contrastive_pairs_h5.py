"""Siamese network with a contrastive loss (keras.io, tf.keras era), on synthetic digit-like images.

make_pairs of positive / negative pairs, a shared tower, Lambda(euclidean_distance) with the
keras.backend functions, a loss(margin) closure, and an accuracy metric written with K functions;
the model is saved to HDF5 and reloaded with custom_objects.
"""
import random

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import backend as K

np.random.seed(7)
random.seed(7)
tf.random.set_seed(7)

num_classes = 4
protos = np.random.rand(num_classes, 14, 14).astype("float32")


def make_digits(n):
    labels = np.random.randint(0, num_classes, size=n)
    images = protos[labels] + 0.2 * np.random.rand(n, 14, 14).astype("float32")
    return images, labels


def make_pairs(x, y):
    num_classes = max(y) + 1
    digit_indices = [np.where(y == i)[0] for i in range(num_classes)]
    pairs = []
    labels = []
    for idx1 in range(len(x)):
        x1 = x[idx1]
        label1 = y[idx1]
        idx2 = random.choice(digit_indices[label1])
        x2 = x[idx2]
        pairs += [[x1, x2]]
        labels += [1]
        label2 = random.randint(0, num_classes - 1)
        while label2 == label1:
            label2 = random.randint(0, num_classes - 1)
        idx2 = random.choice(digit_indices[label2])
        x2 = x[idx2]
        pairs += [[x1, x2]]
        labels += [0]
    return np.array(pairs), np.array(labels).astype("float32")


x_train_val, y_train_val = make_digits(80)
x_test, y_test = make_digits(20)
pairs_train, labels_train = make_pairs(x_train_val, y_train_val)
pairs_test, labels_test = make_pairs(x_test, y_test)
x_train_1 = pairs_train[:, 0]
x_train_2 = pairs_train[:, 1]


def euclidean_distance(vects):
    x, y = vects
    sum_square = K.sum(K.square(x - y), axis=1, keepdims=True)
    return K.sqrt(K.maximum(sum_square, K.epsilon()))


def eucl_dist_output_shape(shapes):
    shape1, shape2 = shapes
    return (shape1[0], 1)


def loss(margin=1):
    def contrastive_loss(y_true, y_pred):
        y_true = K.cast(y_true, y_pred.dtype)
        square_pred = K.square(y_pred)
        margin_square = K.square(K.maximum(margin - y_pred, 0))
        return K.mean(y_true * square_pred + (1 - y_true) * margin_square)

    return contrastive_loss


def pair_accuracy(y_true, y_pred):
    """Accuracy with a fixed threshold on the distance."""
    return K.mean(K.equal(y_true, K.cast(y_pred < 0.5, y_true.dtype)))


input = layers.Input((14, 14, 1))
x = layers.BatchNormalization()(input)
x = layers.Conv2D(4, (3, 3), activation="tanh")(x)
x = layers.AveragePooling2D(pool_size=(2, 2))(x)
x = layers.Flatten()(x)
x = layers.BatchNormalization()(x)
x = layers.Dense(8, activation="tanh")(x)
embedding_network = keras.Model(input, x)

input_1 = layers.Input((14, 14, 1))
input_2 = layers.Input((14, 14, 1))
tower_1 = embedding_network(input_1)
tower_2 = embedding_network(input_2)
merge_layer = layers.Lambda(euclidean_distance, output_shape=eucl_dist_output_shape)([tower_1, tower_2])
normal_layer = layers.BatchNormalization()(merge_layer)
output_layer = layers.Dense(1, activation="sigmoid")(normal_layer)
siamese = keras.Model(inputs=[input_1, input_2], outputs=output_layer)

margin = 1
siamese.compile(loss=loss(margin=margin), optimizer="RMSprop", metrics=[pair_accuracy])
siamese.summary()

history = siamese.fit(
    [x_train_1, x_train_2],
    labels_train,
    validation_split=0.25,
    batch_size=32,
    epochs=1,
)

results = siamese.evaluate([pairs_test[:, 0], pairs_test[:, 1]], labels_test)
print("test loss, test acc:", results)

siamese.save("siamese_contrastive.h5")
reloaded = keras.models.load_model(
    "siamese_contrastive.h5",
    custom_objects={"contrastive_loss": loss(margin=margin), "pair_accuracy": pair_accuracy,
                    "euclidean_distance": euclidean_distance},
)
predictions = reloaded.predict([pairs_test[:4, 0], pairs_test[:4, 1]])
np.testing.assert_allclose(predictions, siamese.predict([pairs_test[:4, 0], pairs_test[:4, 1]]), rtol=1e-4, atol=1e-5)
print("reloaded predictions:", predictions.ravel())
