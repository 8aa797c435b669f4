"""Hand conversion to multi-backend Keras 3 (keras.ops / layers.Resizing; tf.data kept for the input
pipeline) of keras.io "Learning to Resize in Computer Vision" (Keras 2 version): a learnable resizer built
as a functional model whose naive resize is layers.experimental.preprocessing.Resizing and whose
bottleneck resize is tf.image.resize applied to a KerasTensor, residual blocks with layers.Add,
BatchNormalization(momentum=) and LeakyReLU(alpha=); a tf.data pipeline that resizes with
tf.image.resize and one-hot encodes with tf.one_hot; the resizer and a small classifier joined
into one model trained with SGD(momentum=) and CategoricalCrossentropy(label_smoothing=); the
learned resizer then applied to a batch of images with training=False."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

INP_SIZE = (24, 24)
TARGET_SIZE = (16, 16)
INTERPOLATION = "bilinear"

AUTO = tf.data.AUTOTUNE
BATCH_SIZE = 16
EPOCHS = 2
NUM_CLASSES = 3

rng = np.random.default_rng(11)
images = rng.uniform(0, 255, size=(96, 30, 30, 3)).astype("float32")
labels = rng.integers(0, NUM_CLASSES, size=(96,))
for c in range(NUM_CLASSES):
    images[labels == c, :, :, c] = 250.0


def preprocess_dataset(image, label):
    image = tf.image.resize(image, (INP_SIZE[0], INP_SIZE[1]))
    label = tf.one_hot(label, depth=NUM_CLASSES)
    return (image, label)


train_ds = (
    tf.data.Dataset.from_tensor_slices((images[:80], labels[:80]))
    .shuffle(BATCH_SIZE * 10)
    .map(preprocess_dataset, num_parallel_calls=AUTO)
    .batch(BATCH_SIZE)
    .prefetch(AUTO)
)
validation_ds = (
    tf.data.Dataset.from_tensor_slices((images[80:], labels[80:]))
    .map(preprocess_dataset, num_parallel_calls=AUTO)
    .batch(BATCH_SIZE)
    .prefetch(AUTO)
)


def conv_block(x, filters, kernel_size, strides, activation=layers.LeakyReLU(0.2)):
    x = layers.Conv2D(filters, kernel_size, strides, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    if activation:
        x = activation(x)
    return x


def res_block(x):
    inputs = x
    x = conv_block(x, 8, 3, 1)
    x = conv_block(x, 8, 3, 1, activation=None)
    return layers.Add()([inputs, x])


def get_learnable_resizer(filters=8, num_res_blocks=1, interpolation=INTERPOLATION):
    inputs = layers.Input(shape=[None, None, 3])

    # First, perform naive resizing.
    naive_resize = layers.Resizing(
        *TARGET_SIZE, interpolation=interpolation
    )(inputs)

    # First convolution block without batch normalization.
    x = layers.Conv2D(filters=filters, kernel_size=7, strides=1, padding="same")(inputs)
    x = layers.LeakyReLU(negative_slope=0.2)(x)

    # Second convolution block with batch normalization.
    x = layers.Conv2D(filters=filters, kernel_size=1, strides=1, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.BatchNormalization(momentum=0.9)(x)

    # Intermediate resizing as a bottleneck.
    bottleneck = layers.Resizing(*TARGET_SIZE, interpolation=interpolation)(x)

    # Residual passes.
    for _ in range(num_res_blocks):
        x = res_block(bottleneck)

    # Projection.
    x = layers.Conv2D(filters=filters, kernel_size=3, strides=1, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)

    # Skip connection.
    x = layers.Add()([bottleneck, x])

    # Final resized image.
    x = layers.Conv2D(filters=3, kernel_size=7, strides=1, padding="same")(x)
    final_resize = layers.Add()([naive_resize, x])

    return keras.Model(inputs, final_resize, name="learnable_resizer")


learnable_resizer = get_learnable_resizer()

sample_images = next(iter(train_ds))[0][:4]
resized = learnable_resizer(sample_images, training=False)
print("resized batch:", resized.shape)
assert tuple(resized.shape) == (4, TARGET_SIZE[0], TARGET_SIZE[1], 3)


def get_model():
    backbone = keras.Sequential(
        [
            layers.Conv2D(8, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
        ],
        name="backbone",
    )

    inputs = layers.Input((INP_SIZE[0], INP_SIZE[1], 3))
    x = layers.Rescaling(scale=1.0 / 255)(inputs)
    x = learnable_resizer(x)
    x = backbone(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)

    return keras.Model(inputs, outputs)


model = get_model()
model.compile(
    loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
    optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
    metrics=["accuracy"],
)
history = model.fit(train_ds, validation_data=validation_ds, epochs=EPOCHS, verbose=0)
print("final val accuracy:", history.history["val_accuracy"][-1])

learned = ops.convert_to_numpy(learnable_resizer(next(iter(validation_ds))[0], training=False))
print("learned resize range:", float(learned.min()), float(learned.max()))
