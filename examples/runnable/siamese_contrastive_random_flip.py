"""Siamese network with a contrastive loss (keras.io image similarity example, TF 2.4 era): pairs
built with NumPy, a shared tower that starts with a data-augmentation Sequential of
layers.experimental.preprocessing.RandomFlip / RandomRotation (so augmentation runs inside the
model, only in training), a Lambda over tf.math ops for the Euclidean distance with
tf.keras.backend.epsilon(), a loss(margin) closure in tf.math, the tower's weights saved to .h5
and loaded into a fresh tower, and a tf.data validation set of ((x1, x2), y)."""
import os
import random
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

epochs = 2
batch_size = 16
margin = 1  # Margin for contrastive loss.

rng = np.random.default_rng(7)
x_train_val = rng.uniform(size=(160, 14, 14)).astype("float32")
y_train_val = (x_train_val[:, :7].mean(axis=(1, 2)) * 30).astype("int64") % 4
x_train, x_val = x_train_val[:120], x_train_val[120:]
y_train, y_val = y_train_val[:120], y_train_val[120:]


def make_pairs(x, y):
    num_classes = max(y) + 1
    digit_indices = [np.where(y == i)[0] for i in range(num_classes)]

    pairs = []
    labels = []

    for idx1 in range(len(x)):
        # add a matching example
        x1 = x[idx1]
        label1 = y[idx1]
        idx2 = random.choice(digit_indices[label1])
        x2 = x[idx2]

        pairs += [[x1, x2]]
        labels += [1]

        # add a non-matching example
        label2 = random.randint(0, num_classes - 1)
        while label2 == label1:
            label2 = random.randint(0, num_classes - 1)

        idx2 = random.choice(digit_indices[label2])
        x2 = x[idx2]

        pairs += [[x1, x2]]
        labels += [0]

    return np.array(pairs), np.array(labels).astype("float32")


random.seed(0)
pairs_train, labels_train = make_pairs(x_train, y_train)
pairs_val, labels_val = make_pairs(x_val, y_val)

x_train_1 = pairs_train[:, 0]
x_train_2 = pairs_train[:, 1]
x_val_1 = pairs_val[:, 0]
x_val_2 = pairs_val[:, 1]


# Provided two tensors t1 and t2
# Euclidean distance = sqrt(sum(square(t1-t2)))
def euclidean_distance(vects):
    x, y = vects
    sum_square = tf.math.reduce_sum(tf.math.square(x - y), axis=1, keepdims=True)
    return tf.math.sqrt(tf.math.maximum(sum_square, tf.keras.backend.epsilon()))


data_augmentation = keras.Sequential(
    [
        layers.experimental.preprocessing.RandomFlip("horizontal"),
        layers.experimental.preprocessing.RandomRotation(0.1),
    ],
    name="data_augmentation",
)


def make_tower():
    input = layers.Input((14, 14, 1))
    x = data_augmentation(input)
    x = tf.keras.layers.BatchNormalization()(x)
    x = layers.Conv2D(4, (3, 3), activation="tanh")(x)
    x = layers.AveragePooling2D(pool_size=(2, 2))(x)
    x = layers.Flatten()(x)
    x = tf.keras.layers.BatchNormalization()(x)
    x = layers.Dense(10, activation="tanh")(x)
    return keras.Model(input, x)


embedding_network = make_tower()

input_1 = layers.Input((14, 14, 1))
input_2 = layers.Input((14, 14, 1))

# As mentioned above, Siamese Network share weights between
# tower networks (sister networks). To allow this, we will use
# same embedding network for both tower networks.
tower_1 = embedding_network(input_1)
tower_2 = embedding_network(input_2)

merge_layer = layers.Lambda(euclidean_distance)([tower_1, tower_2])
normal_layer = tf.keras.layers.BatchNormalization()(merge_layer)
output_layer = layers.Dense(1, activation="sigmoid")(normal_layer)
siamese = keras.Model(inputs=[input_1, input_2], outputs=output_layer)


def loss(margin=1):
    """Provides 'contrastive_loss' an enclosing scope with variable 'margin'."""

    def contrastive_loss(y_true, y_pred):
        square_pred = tf.math.square(y_pred)
        margin_square = tf.math.square(tf.math.maximum(margin - (y_pred), 0))
        return tf.math.reduce_mean((1 - y_true) * square_pred + (y_true) * margin_square)

    return contrastive_loss


siamese.compile(loss=loss(margin=margin), optimizer="RMSprop", metrics=["accuracy"])

val_ds = tf.data.Dataset.from_tensor_slices(((x_val_1, x_val_2), labels_val)).batch(batch_size)

history = siamese.fit(
    [x_train_1, x_train_2],
    labels_train,
    validation_data=val_ds,
    batch_size=batch_size,
    epochs=epochs,
    verbose=2,
)

results = siamese.evaluate([x_val_1, x_val_2], labels_val, verbose=0)
print("test loss, test acc:", results)

# Keep the trained tower for retrieval.
workdir = tempfile.mkdtemp()
tower_path = os.path.join(workdir, "tower.h5")
embedding_network.save_weights(tower_path)
retrieval_tower = make_tower()
retrieval_tower.load_weights(tower_path)

embeddings_a = embedding_network(x_val[:8, :, :, None], training=False).numpy()
embeddings_b = retrieval_tower(x_val[:8, :, :, None], training=False).numpy()
assert np.allclose(embeddings_a, embeddings_b, atol=1e-5)

predictions = siamese.predict([x_val_1[:8], x_val_2[:8]], verbose=0)
assert predictions.shape == (8, 1)
print("siamese random flip ok")
