"""Image similarity estimation using a Siamese network with a triplet loss (in the style of the
keras.io example before its Keras 3 port): a tf.data pipeline of (anchor, positive, negative)
triplets, a shared CNN embedding, a DistanceLayer whose call() uses tf.reduce_sum(tf.square(...)),
a SiameseModel(Model) with a custom train_step/test_step (GradientTape, tf.maximum margin loss),
a metrics.Mean loss tracker exposed through the `metrics` property, and a CosineSimilarity
metric used by hand on the embeddings after training."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import metrics
from tensorflow.keras import Model
from tensorflow.keras import optimizers

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
        ap_distance = tf.reduce_sum(tf.square(anchor - positive), -1)
        an_distance = tf.reduce_sum(tf.square(anchor - negative), -1)
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
        super(SiameseModel, self).__init__()
        self.siamese_network = siamese_network
        self.margin = margin
        self.loss_tracker = metrics.Mean(name="loss")

    def call(self, inputs):
        return self.siamese_network(inputs)

    def train_step(self, data):
        # GradientTape is a context manager that records every operation that
        # you do inside. We are using it here to compute the loss so we can get
        # the gradients and apply them using the optimizer specified in
        # `compile()`.
        with tf.GradientTape() as tape:
            loss = self._compute_loss(data)

        # Storing the gradients of the loss function with respect to the
        # weights/parameters.
        gradients = tape.gradient(loss, self.siamese_network.trainable_weights)

        # Applying the gradients on the model using the specified optimizer
        self.optimizer.apply_gradients(
            zip(gradients, self.siamese_network.trainable_weights)
        )

        # Let's update and return the training loss metric.
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, data):
        loss = self._compute_loss(data)

        # Let's update and return the loss metric.
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def _compute_loss(self, data):
        # The output of the network is a tuple containing the distances
        # between the anchor and the positive example, and the anchor and
        # the negative example.
        ap_distance, an_distance = self.siamese_network(data)

        # Computing the Triplet Loss by subtracting both distances and
        # making sure we don't get a negative value.
        loss = ap_distance - an_distance
        loss = tf.maximum(loss + self.margin, 0.0)
        return loss

    @property
    def metrics(self):
        # We need to list our metrics here so the `reset_states()` can be
        # called automatically.
        return [self.loss_tracker]


siamese_model = SiameseModel(siamese_network)
siamese_model.compile(optimizer=optimizers.Adam(0.001))
history = siamese_model.fit(train_dataset, epochs=2, validation_data=val_dataset, verbose=2)
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
print("Positive similarity:", positive_similarity.numpy())

negative_similarity = cosine_similarity(anchor_embedding, negative_embedding)
print("Negative similarity", negative_similarity.numpy())
