"""BYOL-style self-supervised learning: online and target networks, a predictor, an EMA update of
the target in train_step and a custom loss built from tf.linalg / tf.math ops (after the keras.io
self-supervised examples, tf.keras era)."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

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
        p = tf.math.l2_normalize(p, axis=1)
        z = tf.math.l2_normalize(tf.stop_gradient(z), axis=1)
        similarity = tf.linalg.diag_part(tf.linalg.matmul(p, z, transpose_b=True))
        return 2.0 - 2.0 * similarity


class BYOL(keras.Model):
    def __init__(self, online, predictor, target, tau):
        super(BYOL, self).__init__()
        self.online = online
        self.predictor = predictor
        self.target = target
        self.tau = tau
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.std_tracker = keras.metrics.Mean(name="embedding_std")

    @property
    def metrics(self):
        return [self.loss_tracker, self.std_tracker]

    def train_step(self, data):
        view_one, view_two = data
        with tf.GradientTape() as tape:
            p_one = self.predictor(self.online(view_one, training=True), training=True)
            p_two = self.predictor(self.online(view_two, training=True), training=True)
            z_one = self.target(view_one, training=True)
            z_two = self.target(view_two, training=True)
            loss = tf.reduce_mean(self.loss(p_one, z_two) + self.loss(p_two, z_one))
        trainable = self.online.trainable_variables + self.predictor.trainable_variables
        gradients = tape.gradient(loss, trainable)
        self.optimizer.apply_gradients(zip(gradients, trainable))

        # Exponential moving average of the online weights into the target network.
        for online_w, target_w in zip(self.online.weights, self.target.weights):
            target_w.assign(self.tau * target_w + (1 - self.tau) * online_w)

        # A collapse monitor: standard deviation of the normalised embeddings.
        normalized = tf.math.l2_normalize(p_one, axis=1)
        self.std_tracker.update_state(tf.reduce_mean(tf.math.reduce_std(normalized, axis=0)))
        self.loss_tracker.update_state(loss)
        return {m.name: m.result() for m in self.metrics}


online = get_encoder("online_encoder")
target = get_encoder("target_encoder")
target.set_weights(online.get_weights())
byol = BYOL(online, get_predictor(), target, tau)
byol.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=BYOLLoss())
history = byol.fit(train_ds, epochs=1, verbose=0)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})

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
