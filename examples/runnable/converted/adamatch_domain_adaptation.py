"""AdaMatch: unifying unsupervised domain adaptation and semi-supervised learning (after the
keras.io example, tf.keras era): labelled source images and unlabelled target images, weak and
strong augmentation in tf.data, random logit interpolation, distribution alignment, relative
confidence thresholding, and a warm-up weight for the target loss on a step counter tf.Variable.

Hand conversion to multi-backend Keras 3. The tf.data pipeline keeps its TF image ops (tf.data runs
on TensorFlow whatever the backend); the weak-augmentation layers are applied one by one in tf.data (a
Sequential of preprocessing layers does not run in tf.data on JAX or PyTorch); compile() takes a
list of metrics. The
AdaMatch train_step trains one model with one optimizer, so it becomes call() + compute_loss() with
the default train_step: the zipped dataset is mapped to x = (source weak, source strong, target
weak, target strong) and y = the one-hot source labels; call() returns the logits of the combined
batch (training forward pass) and of the source images without BatchNorm update; compute_loss()
holds the AdaMatch loss in keras.ops (ops.softmax, ops.max, ops.mean, ops.cos, ops.minimum, an
l2-normalisation with ops.norm, ops.stop_gradient), draws lambda with keras.random.uniform and a
SeedGenerator, and counts steps in a non-trainable keras.Variable (assign_add inside the step is
part of the state on JAX). The loss tracker stays the model's metric; CosineDecay comes from
keras.optimizers.schedules and Rescaling from keras.layers."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops, regularizers

RESIZE_TO = 16
SOURCE_BATCH_SIZE = 8
TARGET_BATCH_SIZE = 2 * SOURCE_BATCH_SIZE  # Reference: Section 3.2
EPOCHS = 1
STEPS_PER_EPOCH = 2
TOTAL_STEPS = EPOCHS * STEPS_PER_EPOCH
AUTO = tf.data.AUTOTUNE
LEARNING_RATE = 0.03
WEIGHT_DECAY = 0.0005
INIT = "he_normal"
DEPTH = 10
WIDTH_MULT = 1

# Source domain: MNIST-like grey digits; target domain: SVHN-like colour digits.
mnist_x_train = np.random.randint(0, 256, size=(32, 14, 14)).astype("uint8")
mnist_y_train = np.random.randint(0, 10, size=(32,))
svhn_train = np.random.randint(0, 256, size=(64, 16, 16, 3)).astype("uint8")
svhn_test = np.random.randint(0, 256, size=(16, 16, 16, 3)).astype("uint8")
svhn_test_labels = np.random.randint(0, 10, size=(16,))
mnist_x_train = np.stack((mnist_x_train,) * 3, axis=-1)

# A list of preprocessing layers rather than a Sequential: each preprocessing layer runs on
# TensorFlow inside tf.data whatever the backend, a Sequential model does not.
data_augmentation = {
    "weak": [
        layers.RandomFlip("horizontal"),
        layers.RandomTranslation(0.1, 0.1),
    ],
}


def strong_augment(image):
    # Stand-in for RandAugment(num_layers=2, magnitude=5).
    image = tf.image.random_contrast(image, 0.5, 1.5)
    image = tf.image.random_brightness(image, 25.0)
    image = tf.image.random_hue(image, 0.1)
    return tf.clip_by_value(image, 0.0, 255.0)


def create_individual_ds(ds, aug_func, source=True):
    if source:
        batch_size = SOURCE_BATCH_SIZE
    else:
        # During training 3x more target unlabeled samples are shown
        # to the model in AdaMatch (Section 3.2 of the paper).
        batch_size = TARGET_BATCH_SIZE
    ds = ds.shuffle(batch_size * 10, seed=42)

    if source:
        ds = ds.map(lambda x, y: (aug_func(x), y), num_parallel_calls=AUTO)
    else:
        ds = ds.map(lambda x, y: (aug_func(x), y), num_parallel_calls=AUTO)

    ds = ds.batch(batch_size).prefetch(AUTO)
    return ds


def weak_augment(image, source=True):
    if image.dtype != tf.float32:
        image = tf.cast(image, tf.float32)
    # MNIST images need to be resized to the target resolution.
    if source:
        image = tf.image.resize_with_pad(image, RESIZE_TO, RESIZE_TO)
        image = tf.tile(image, [1, 1, 1])
    for layer in data_augmentation["weak"]:
        image = layer(image)
    return image


def strong_augment_fn(image, source=True):
    if image.dtype != tf.float32:
        image = tf.cast(image, tf.float32)
    if source:
        image = tf.image.resize_with_pad(image, RESIZE_TO, RESIZE_TO)
    image = strong_augment(image)
    return image


source_ds = tf.data.Dataset.from_tensor_slices((mnist_x_train, mnist_y_train))
target_ds = tf.data.Dataset.from_tensor_slices((svhn_train, tf.zeros_like(svhn_train[:, 0, 0, 0])))

source_ds_w = create_individual_ds(source_ds, weak_augment)
source_ds_s = create_individual_ds(source_ds, strong_augment_fn)
final_source_ds = tf.data.Dataset.zip((source_ds_w, source_ds_s))

target_ds_w = create_individual_ds(target_ds, lambda x: weak_augment(x, source=False), source=False)
target_ds_s = create_individual_ds(target_ds, lambda x: strong_augment_fn(x, source=False), source=False)
final_target_ds = tf.data.Dataset.zip((target_ds_w, target_ds_s))


def compute_loss_source(source_labels, logits_source_w, logits_source_s):
    loss_func = keras.losses.CategoricalCrossentropy(from_logits=True)
    # First compute the losses between original source labels and
    # predictions made on the weakly and strongly augmented versions
    # of the same images.
    w_loss = loss_func(source_labels, logits_source_w)
    s_loss = loss_func(source_labels, logits_source_s)
    return w_loss + s_loss


def compute_loss_target(target_pseudo_labels_w, logits_target_s, mask):
    loss_func = keras.losses.CategoricalCrossentropy(from_logits=True, reduction="none")
    target_pseudo_labels_w = ops.stop_gradient(target_pseudo_labels_w)
    target_loss = loss_func(target_pseudo_labels_w, logits_target_s)
    mask = ops.cast(mask, target_loss.dtype)
    target_loss *= mask
    return ops.mean(target_loss, 0)


def l2_normalize(x, axis):
    # tf.math.l2_normalize: x / sqrt(max(sum(x**2), 1e-12))
    return x * ops.rsqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), 1e-12))


class AdaMatch(keras.Model):
    def __init__(self, model, total_steps, tau=0.9):
        super().__init__()
        self.model = model
        self.tau = tau  # Denotes the confidence threshold
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.total_steps = total_steps
        self.current_step = keras.Variable(0, dtype="int64", trainable=False)
        self.seed_generator = keras.random.SeedGenerator(1337)

    @property
    def metrics(self):
        return [self.loss_tracker]

    def compute_mu(self):
        pi = np.pi
        step = ops.cast(self.current_step, dtype="float32")
        return 0.5 - ops.cos(ops.minimum(pi, (2 * pi * step) / self.total_steps)) / 2

    def call(self, inputs, training=False):
        source_w, source_s, target_w, target_s = inputs
        combined_images = ops.concatenate([source_w, source_s, target_w, target_s], 0)
        combined_source = ops.concatenate([source_w, source_s], 0)
        combined_logits = self.model(combined_images, training=training)
        z_d_prime_source = self.model(combined_source, training=False)  # No BatchNorm update.
        return combined_logits, z_d_prime_source

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        source_w, source_s, target_w, _ = x
        source_labels = y
        combined_logits, z_d_prime_source = y_pred
        n_source_w = ops.shape(source_w)[0]
        n_target_w = ops.shape(target_w)[0]
        total_source = n_source_w + ops.shape(source_s)[0]
        z_prime_source = combined_logits[:total_source]

        ## 1. Random logit interpolation for the source images ##
        lambd = keras.random.uniform((total_source, 10), 0, 1, seed=self.seed_generator)
        final_source_logits = (lambd * z_prime_source) + ((1 - lambd) * z_d_prime_source)

        ## 2. Distribution alignment (only consider weakly augmented images) ##
        y_hat_source_w = ops.softmax(final_source_logits[:n_source_w])
        logits_target = combined_logits[total_source:]
        logits_target_w = logits_target[:n_target_w]
        y_hat_target_w = ops.softmax(logits_target_w)
        expectation_ratio = ops.mean(y_hat_source_w) / ops.mean(y_hat_target_w)
        y_tilde_target_w = l2_normalize(y_hat_target_w * expectation_ratio, 1)

        ## 3. Relative confidence thresholding ##
        row_wise_max = ops.max(y_hat_source_w, axis=-1)
        final_sum = ops.mean(row_wise_max, 0)
        c_tau = self.tau * final_sum
        mask = ops.max(y_tilde_target_w, axis=-1) >= c_tau

        ## Compute losses (pay attention to the indexing) ##
        source_loss = compute_loss_source(
            source_labels, final_source_logits[:n_source_w], final_source_logits[n_source_w:]
        )
        target_loss = compute_loss_target(y_tilde_target_w, logits_target[n_target_w:], mask)

        t = self.compute_mu()  # Compute weight for the target loss
        total_loss = source_loss + (t * target_loss)
        if training:
            self.current_step.assign_add(1)  # Update current training step for the scheduler
        # The model's regularization losses, as the default compute_loss() would add them.
        if self.losses:
            total_loss = total_loss + ops.sum(ops.stack(self.losses))
        self.loss_tracker.update_state(total_loss)
        return total_loss


def wide_basic(x, n_input_plane, n_output_plane, stride, weight_decay):
    conv_params = [[3, 3, stride, "same"], [3, 3, (1, 1), "same"]]
    n_bottleneck_plane = n_output_plane
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    convs = x
    for i, v in enumerate(conv_params):
        if i != 0:
            convs = layers.BatchNormalization()(convs)
            convs = layers.Activation("relu")(convs)
        convs = layers.Conv2D(
            n_bottleneck_plane,
            (v[0], v[1]),
            strides=v[2],
            padding=v[3],
            kernel_initializer=INIT,
            kernel_regularizer=regularizers.l2(weight_decay),
            use_bias=False,
        )(convs)
    if n_input_plane != n_output_plane:
        shortcut = layers.Conv2D(
            n_output_plane,
            (1, 1),
            strides=stride,
            padding="same",
            kernel_initializer=INIT,
            kernel_regularizer=regularizers.l2(weight_decay),
            use_bias=False,
        )(x)
    else:
        shortcut = x
    return layers.Add()([convs, shortcut])


def get_network(image_size=RESIZE_TO, num_classes=10):
    n = (DEPTH - 4) / 6
    n_stages = [8, 8 * WIDTH_MULT, 16 * WIDTH_MULT]
    inputs = keras.Input(shape=(image_size, image_size, 3))
    x = layers.Rescaling(scale=1.0 / 255)(inputs)
    conv1 = layers.Conv2D(n_stages[0], (3, 3), strides=1, padding="same", kernel_initializer=INIT,
                          kernel_regularizer=regularizers.l2(WEIGHT_DECAY), use_bias=False)(x)
    conv2 = wide_basic(conv1, n_stages[0], n_stages[1], (1, 1), WEIGHT_DECAY)
    for _ in range(int(n) - 1):
        conv2 = wide_basic(conv2, n_stages[1], n_stages[1], (1, 1), WEIGHT_DECAY)
    conv3 = wide_basic(conv2, n_stages[1], n_stages[2], (2, 2), WEIGHT_DECAY)
    batch_norm = layers.BatchNormalization()(conv3)
    relu = layers.Activation("relu")(batch_norm)
    trunk_outputs = layers.GlobalAveragePooling2D()(relu)
    outputs = layers.Dense(num_classes, kernel_regularizer=regularizers.l2(WEIGHT_DECAY))(trunk_outputs)
    return keras.Model(inputs, outputs)


wrn_model = get_network()
print(f"Model has {wrn_model.count_params()/1e3} Thousand parameters.")

reduce_lr = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, TOTAL_STEPS, 0.25)
optimizer = keras.optimizers.Adam(reduce_lr)

adamatch_trainer = AdaMatch(model=wrn_model, total_steps=TOTAL_STEPS)
adamatch_trainer.compile(optimizer=optimizer)

# The source labels are one-hot encoded for the categorical cross-entropy.
source_onehot = final_source_ds.map(
    lambda w, s: ((w[0], tf.one_hot(w[1], 10)), (s[0], tf.one_hot(s[1], 10)))
)
total_ds = tf.data.Dataset.zip((source_onehot, final_target_ds))
# x = (source weak, source strong, target weak, target strong), y = one-hot source labels.
total_ds = total_ds.map(lambda source, target: ((source[0][0], source[1][0], target[0][0], target[1][0]), source[0][1]))
adamatch_trainer.fit(total_ds, epochs=EPOCHS, steps_per_epoch=STEPS_PER_EPOCH, verbose=0)
print("steps", int(ops.convert_to_numpy(adamatch_trainer.current_step)))

# Compile the AdaMatch model to yield accuracy.
adamatch_trained_model = adamatch_trainer.model
adamatch_trained_model.compile(metrics=[keras.metrics.SparseCategoricalAccuracy()])

# Score on the target test set.
svhn_test_ds = (
    tf.data.Dataset.from_tensor_slices((svhn_test, svhn_test_labels)).batch(TARGET_BATCH_SIZE).prefetch(AUTO)
)
_, accuracy = adamatch_trained_model.evaluate(svhn_test_ds, verbose=0)
print(f"Accuracy on target test set: {accuracy * 100:.2f}%")
