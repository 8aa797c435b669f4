"""Image similarity estimation using a Siamese network with a triplet loss (keras.io example),
converted by hand to multi-backend Keras 3: the DistanceLayer uses keras.ops, the dataset yields
the triplet as the model's x (`((anchor, positive, negative),)`, so fit() does not read it as
x, y, sample_weight), and the TensorFlow train_step/test_step become a compute_loss() override
(the triplet loss from the distances call() returns), which Keras's own loss tracker reports as
"loss" in fit() and evaluate() on every backend."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers
from keras import metrics
from keras import Model
from keras import ops
from keras import optimizers

target_shape = (24, 24)
num_people = 5
rng = np.random.default_rng(0)
faces = rng.uniform(size=(num_people,) + target_shape + (3,)).astype("float32")


def make_triplets(count):
    anchor_ids = rng.integers(0, num_people, size=count)
    negative_ids = (anchor_ids + rng.integers(1, num_people, size=count)) % num_people
    noise = lambda: 0.1 * rng.normal(size=(count,) + target_shape + (3,)).astype("float32")
    return faces[anchor_ids] + noise(), faces[anchor_ids] + noise(), faces[negative_ids] + noise()


anchors, positives, negatives = make_triplets(96)
dataset = tf.data.Dataset.from_tensor_slices((anchors, positives, negatives))
dataset = dataset.shuffle(buffer_size=96, seed=0)
image_count = len(anchors)
train_dataset = dataset.take(round(image_count * 0.8))
val_dataset = dataset.skip(round(image_count * 0.8))
train_dataset = train_dataset.batch(16, drop_remainder=False).prefetch(8)
val_dataset = val_dataset.batch(16, drop_remainder=False).prefetch(8)
# fit() reads a 3-tuple as (x, y, sample_weight): the triplet is the model's x.
triplets_as_x = lambda anchor, positive, negative: ((anchor, positive, negative),)
train_inputs = train_dataset.map(triplets_as_x)
val_inputs = val_dataset.map(triplets_as_x)

# The embedding generator (a small CNN instead of the example's ResNet50).
base_input = layers.Input(shape=target_shape + (3,))
x = layers.Conv2D(16, 3, strides=2, activation="relu")(base_input)
x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
flatten = layers.Flatten()(x)
dense1 = layers.Dense(64, activation="relu")(flatten)
dense1 = layers.BatchNormalization()(dense1)
output = layers.Dense(32)(dense1)
embedding = Model(base_input, output, name="Embedding")


class DistanceLayer(layers.Layer):
    """
    This layer is responsible for computing the distance between the anchor
    embedding and the positive embedding, and the anchor embedding and the
    negative embedding.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def call(self, anchor, positive, negative):
        ap_distance = ops.sum(ops.square(anchor - positive), -1)
        an_distance = ops.sum(ops.square(anchor - negative), -1)
        return (ap_distance, an_distance)


anchor_input = layers.Input(name="anchor", shape=target_shape + (3,))
positive_input = layers.Input(name="positive", shape=target_shape + (3,))
negative_input = layers.Input(name="negative", shape=target_shape + (3,))

distances = DistanceLayer()(
    embedding(anchor_input),
    embedding(positive_input),
    embedding(negative_input),
)

siamese_network = Model(
    inputs=[anchor_input, positive_input, negative_input], outputs=distances
)


class SiameseModel(Model):
    """The Siamese Network model with a custom training and testing loops.

    Computes the triplet loss using the three embeddings produced by the
    Siamese Network.

    The triplet loss is defined as:
       L(A, P, N) = max(‖f(A) - f(P)‖² - ‖f(A) - f(N)‖² + margin, 0)
    """

    def __init__(self, siamese_network, margin=0.5):
        super().__init__()
        self.siamese_network = siamese_network
        self.margin = margin

    def call(self, inputs):
        return self.siamese_network(inputs)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        # y_pred is what call() returned: the distances between the anchor and the positive
        # example, and the anchor and the negative example.
        ap_distance, an_distance = y_pred

        # Computing the Triplet Loss by subtracting both distances and
        # making sure we don't get a negative value.
        loss = ap_distance - an_distance
        loss = ops.maximum(loss + self.margin, 0.0)
        return ops.mean(loss)


siamese_model = SiameseModel(siamese_network)
siamese_model.compile(optimizer=optimizers.Adam(0.001))
history = siamese_model.fit(train_inputs, epochs=2, validation_data=val_inputs, verbose=2)
print("final loss:", history.history["loss"][-1])

sample = next(iter(train_dataset))
anchor, positive, negative = sample
anchor_embedding, positive_embedding, negative_embedding = (
    embedding(anchor),
    embedding(positive),
    embedding(negative),
)

cosine_similarity = metrics.CosineSimilarity()

positive_similarity = cosine_similarity(anchor_embedding, positive_embedding)
print("Positive similarity:", ops.convert_to_numpy(positive_similarity))

negative_similarity = cosine_similarity(anchor_embedding, negative_embedding)
print("Negative similarity", ops.convert_to_numpy(negative_similarity))
