"""BYOL-style self-supervised learning (after the keras.io self-supervised examples).

Hand conversion to multi-backend Keras 3: the tf.data augmentation pipeline stays as is (tf.data
feeds every backend); the train_step becomes call() (both views through the online network and
predictor, and through the target network under stop_gradient) plus compute_loss(), so Keras's own
train_step runs it on TensorFlow, JAX and PyTorch. The target network is not trainable (the
original left it out of the gradient by hand) and its exponential moving average update is an
assign in compute_loss() (on JAX, Keras carries non-trainable variable updates made there out of
the stateless step). The loss uses keras.ops (normalize, matmul, diagonal)."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

AUTOTUNE = tf.data.AUTOTUNE
image_size = 16
batch_size = 16
projection_dim = 16
tau = 0.99

# Unlabelled images, augmented twice in the tf.data pipeline.
unlabeled = np.random.rand(64, image_size, image_size, 3).astype("float32")


def augment(image):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_brightness(image, max_delta=0.2)
    image = tf.image.random_contrast(image, lower=0.8, upper=1.2)
    noise = tf.random.normal(tf.shape(image), stddev=0.05)
    return tf.clip_by_value(image + noise, 0.0, 1.0)


def two_views(image):
    return augment(image), augment(image)


train_ds = (
    tf.data.Dataset.from_tensor_slices(unlabeled)
    .shuffle(64)
    .map(two_views, num_parallel_calls=AUTOTUNE)
    .batch(batch_size, drop_remainder=True)
    .map(lambda a, b: ((a, b),))
    .prefetch(AUTOTUNE)
)


def get_encoder(name):
    inputs = keras.Input((image_size, image_size, 3))
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(32, activation="relu")(x)
    outputs = layers.Dense(projection_dim)(x)
    return keras.Model(inputs, outputs, name=name)


def get_predictor():
    return keras.Sequential(
        [
            layers.Input((projection_dim,)),
            layers.Dense(32),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Dense(projection_dim),
        ],
        name="predictor",
    )


class BYOLLoss(keras.losses.Loss):
    """2 - 2 * cosine similarity between the prediction and the target projection."""

    def call(self, p, z):
        p = ops.normalize(p, axis=1)
        z = ops.normalize(ops.stop_gradient(z), axis=1)
        similarity = ops.diagonal(ops.matmul(p, ops.transpose(z)))
        return 2.0 - 2.0 * similarity


class BYOL(keras.Model):
    def __init__(self, online, predictor, target, tau):
        super().__init__()
        self.online = online
        self.predictor = predictor
        self.target = target
        self.target.trainable = False
        self.tau = tau
        self.std_tracker = keras.metrics.Mean(name="embedding_std")

    def call(self, data, training=False):
        view_one, view_two = data
        p_one = self.predictor(self.online(view_one, training=training), training=training)
        p_two = self.predictor(self.online(view_two, training=training), training=training)
        z_one = ops.stop_gradient(self.target(view_one, training=training))
        z_two = ops.stop_gradient(self.target(view_two, training=training))
        return p_one, p_two, z_one, z_two

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        p_one, p_two, z_one, z_two = y_pred
        loss = ops.mean(self.loss(p_one, z_two) + self.loss(p_two, z_one))
        if training:
            # Exponential moving average of the online weights into the target network.
            for online_w, target_w in zip(self.online.weights, self.target.weights):
                target_w.assign(self.tau * target_w + (1 - self.tau) * ops.stop_gradient(online_w))
        # A collapse monitor: standard deviation of the normalised embeddings.
        normalized = ops.normalize(ops.stop_gradient(p_one), axis=1)
        self.std_tracker.update_state(ops.mean(ops.std(normalized, axis=0)))
        return loss


online = get_encoder("online_encoder")
target = get_encoder("target_encoder")
target.set_weights(online.get_weights())
byol = BYOL(online, get_predictor(), target, tau)
byol.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=BYOLLoss())
before = ops.convert_to_numpy(target.weights[0]).copy()
history = byol.fit(train_ds, epochs=1, verbose=0)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})
assert not np.allclose(before, ops.convert_to_numpy(target.weights[0])), "target was not updated"

# Linear evaluation on a frozen online encoder.
x_lab = np.random.rand(32, image_size, image_size, 3).astype("float32")
y_lab = np.random.randint(0, 3, size=(32,))
online.trainable = False
inputs = keras.Input((image_size, image_size, 3))
features = online(inputs, training=False)
outputs = layers.Dense(3, activation="softmax")(features)
linear_model = keras.Model(inputs, outputs, name="linear_model")
linear_model.compile(
    optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
)
linear_model.fit(x_lab, y_lab, batch_size=16, epochs=1, verbose=0)
print("linear eval", linear_model.evaluate(x_lab, y_lab, verbose=0))
