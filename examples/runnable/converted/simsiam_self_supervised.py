"""Hand conversion to multi-backend Keras 3: tf.data augmentation kept as is; the SimSiam model's
train_step turned into call() (both views through encoder and predictor) + compute_loss() with
keras.ops (ops.stop_gradient, ops.normalize, ops.sum), the zipped views mapped to x as one pair;
keras.optimizers.schedules.CosineDecay and layers.Rescaling.

SimSiam self-supervised pretraining on tiny synthetic images (in the style of the tf.keras-era
keras.io "Self-supervised contrastive learning with SimSiam" example): augmentation functions in a
tf.data map (tf.image.random_flip_left_right, random_crop, random_brightness/contrast/saturation/hue,
tf.image.rgb_to_grayscale + tf.tile, a random_apply helper with tf.random.uniform and tf.cond),
two zipped augmented datasets, an encoder and a predictor built with regularizers.l2 and
layers.experimental.preprocessing.Rescaling, a SimSiam keras.Model subclass without call() whose
compute_loss uses tf.stop_gradient, tf.math.l2_normalize and tf.reduce_sum and whose train_step
runs encoder and predictor under tf.GradientTape with a loss tracker, a
tf.keras.experimental.CosineDecay schedule, then a linear probe on the frozen backbone
(keras.Model(encoder.input, encoder.get_layer("backbone_pool").output)) with EarlyStopping."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops
from keras import regularizers

AUTO = tf.data.AUTOTUNE
BATCH_SIZE = 8
EPOCHS = 2
CROP_TO = 16
SEED = 26

PROJECT_DIM = 32
LATENT_DIM = 16
WEIGHT_DECAY = 0.0005

keras.utils.set_random_seed(SEED)

# Synthetic stand-in for CIFAR-10.
rng = np.random.default_rng(SEED)
x_train = rng.integers(0, 255, size=(32, 16, 16, 3)).astype("uint8")
y_train = rng.integers(0, 10, size=(32, 1)).astype("uint8")
x_test = rng.integers(0, 255, size=(16, 16, 16, 3)).astype("uint8")
y_test = rng.integers(0, 10, size=(16, 1)).astype("uint8")
print(f"Total training examples: {len(x_train)}")
print(f"Total test examples: {len(x_test)}")


def flip_random_crop(image):
    # With random crops we also apply horizontal flipping.
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_crop(image, (CROP_TO, CROP_TO, 3))
    return image


def color_jitter(x, strength=[0.4, 0.4, 0.4, 0.1]):
    x = tf.image.random_brightness(x, max_delta=0.8 * strength[0])
    x = tf.image.random_contrast(
        x, lower=1 - 0.8 * strength[1], upper=1 + 0.8 * strength[1]
    )
    x = tf.image.random_saturation(
        x, lower=1 - 0.8 * strength[2], upper=1 + 0.8 * strength[2]
    )
    x = tf.image.random_hue(x, max_delta=0.2 * strength[3])
    # Affine transformations can disturb the natural range of
    # RGB images, hence this is needed.
    x = tf.clip_by_value(x, 0, 255)
    return x


def color_drop(x):
    x = tf.image.rgb_to_grayscale(x)
    x = tf.tile(x, [1, 1, 3])
    return x


def random_apply(func, x, p):
    if tf.random.uniform([], minval=0, maxval=1) < p:
        return func(x)
    else:
        return x


def custom_augment(image):
    # As discussed in the SimCLR paper, the series of augmentation
    # transformations (except for random crops) need to be applied
    # randomly to impose translational invariance.
    image = flip_random_crop(image)
    image = random_apply(color_jitter, image, p=0.8)
    image = random_apply(color_drop, image, p=0.2)
    return image


ssl_ds_one = tf.data.Dataset.from_tensor_slices(x_train)
ssl_ds_one = (
    ssl_ds_one.shuffle(1024, seed=SEED)
    .map(custom_augment, num_parallel_calls=AUTO)
    .batch(BATCH_SIZE)
    .prefetch(AUTO)
)

ssl_ds_two = tf.data.Dataset.from_tensor_slices(x_train)
ssl_ds_two = (
    ssl_ds_two.shuffle(1024, seed=SEED)
    .map(custom_augment, num_parallel_calls=AUTO)
    .batch(BATCH_SIZE)
    .prefetch(AUTO)
)

# We then zip both of these datasets.
ssl_ds = tf.data.Dataset.zip((ssl_ds_one, ssl_ds_two))
# fit() hands x to call() and compute_loss(): both views travel together as x.
ssl_ds = ssl_ds.map(lambda one, two: ((one, two),))


def get_encoder():
    # Input and backbone.
    inputs = layers.Input((CROP_TO, CROP_TO, 3))
    x = layers.Rescaling(scale=1.0 / 127.5, offset=-1)(inputs)
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling2D(name="backbone_pool")(x)

    # Projection head.
    x = layers.Dense(
        PROJECT_DIM, use_bias=False, kernel_regularizer=regularizers.l2(WEIGHT_DECAY)
    )(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Dense(
        PROJECT_DIM, use_bias=False, kernel_regularizer=regularizers.l2(WEIGHT_DECAY)
    )(x)
    outputs = layers.BatchNormalization()(x)
    return keras.Model(inputs, outputs, name="encoder")


def get_predictor():
    model = keras.Sequential(
        [
            # Note the AutoEncoder-like structure.
            layers.Input((PROJECT_DIM,)),
            layers.Dense(
                LATENT_DIM,
                use_bias=False,
                kernel_regularizer=regularizers.l2(WEIGHT_DECAY),
            ),
            layers.ReLU(),
            layers.BatchNormalization(),
            layers.Dense(PROJECT_DIM),
        ],
        name="predictor",
    )
    return model


def compute_loss(p, z):
    # The authors of SimSiam emphasize the impact of
    # the `stop_gradient` operator in the paper as it
    # has an important role in the overall optimization.
    z = ops.stop_gradient(z)
    p = ops.normalize(p, axis=1)
    z = ops.normalize(z, axis=1)
    # Negative cosine similarity (minimizing this is
    # equivalent to maximizing the similarity).
    return -ops.mean(ops.sum((p * z), axis=1))


class SimSiam(keras.Model):
    def __init__(self, encoder, predictor):
        super(SimSiam, self).__init__()
        self.encoder = encoder
        self.predictor = predictor
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, data):
        # Unpack the data.
        ds_one, ds_two = data

        # Forward pass through the encoder and predictor.
        z1, z2 = self.encoder(ds_one), self.encoder(ds_two)
        p1, p2 = self.predictor(z1), self.predictor(z2)
        return z1, z2, p1, p2

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        z1, z2, p1, p2 = y_pred
        # Note that here we are enforcing the symmetric loss.
        loss = compute_loss(p1, z2) / 2 + compute_loss(p2, z1) / 2

        # Monitor loss.
        self.loss_tracker.update_state(loss)
        return loss


# Create a cosine decay learning scheduler.
num_training_samples = len(x_train)
steps = EPOCHS * (num_training_samples // BATCH_SIZE)
lr_decayed_fn = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=0.03, decay_steps=steps
)

# Create an early stopping callback.
early_stopping = keras.callbacks.EarlyStopping(
    monitor="loss", patience=5, restore_best_weights=True
)

# Compile model and start training.
simsiam = SimSiam(get_encoder(), get_predictor())
simsiam.compile(optimizer=keras.optimizers.SGD(lr_decayed_fn, momentum=0.6))
history = simsiam.fit(ssl_ds, epochs=EPOCHS, callbacks=[early_stopping], verbose=2)
print("ssl loss", history.history["loss"][-1])

# Evaluating our SSL method: a linear probe on the frozen backbone.
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))
train_ds = (
    train_ds.shuffle(1024)
    .map(lambda x, y: (flip_random_crop(x), y), num_parallel_calls=AUTO)
    .batch(BATCH_SIZE)
    .prefetch(AUTO)
)
test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test))
test_ds = test_ds.batch(BATCH_SIZE).prefetch(AUTO)

# Extract the backbone ResNet20.
backbone = keras.Model(
    simsiam.encoder.input, simsiam.encoder.get_layer("backbone_pool").output
)

# We then create our linear classifier and train it.
backbone.trainable = False
inputs = layers.Input((CROP_TO, CROP_TO, 3))
x = backbone(inputs, training=False)
outputs = layers.Dense(10, activation="softmax")(x)
linear_model = keras.Model(inputs, outputs, name="linear_model")

# Compile model and start training.
linear_model.compile(
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
    optimizer=keras.optimizers.SGD(lr_decayed_fn, momentum=0.9),
)
history = linear_model.fit(
    train_ds, validation_data=test_ds, epochs=EPOCHS, callbacks=[early_stopping], verbose=2
)
_, test_acc = linear_model.evaluate(test_ds, verbose=0)
print("Test accuracy: {:.2f}%".format(test_acc * 100))
