"""Image classification via fine-tuning with EfficientNet (keras.io, TF 2.3-2.5 era).

The keras.io recipe on a tiny EfficientNet-style base (built with weights=None semantics, so the
program needs no download): augmentation from layers.experimental.preprocessing in a Sequential,
tf.image.resize and tf.one_hot in tf.data, a base model built on input_tensor= (the Keras
application pattern with get_source_inputs), MBConv blocks with tf.nn.swish activations and
squeeze-and-excite, the base frozen with model.trainable = False, then the top 20 layers unfrozen
except BatchNormalization and the model recompiled with a smaller learning rate; the fine-tuned
model saved to .h5 and reloaded.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers.experimental import preprocessing
from tensorflow.keras.models import Sequential

IMG_SIZE = 32
NUM_CLASSES = 3
batch_size = 16

rng = np.random.RandomState(3)
raw_images = rng.randint(0, 255, size=(64, 40, 40, 3)).astype("uint8")
raw_labels = rng.randint(0, NUM_CLASSES, size=(64,)).astype("int64")
for i, label in enumerate(raw_labels):
    raw_images[i, :, :, label] = np.minimum(raw_images[i, :, :, label].astype(int) + 120, 255)

ds_train = tf.data.Dataset.from_tensor_slices((raw_images[:48], raw_labels[:48]))
ds_test = tf.data.Dataset.from_tensor_slices((raw_images[48:], raw_labels[48:]))

size = (IMG_SIZE, IMG_SIZE)
ds_train = ds_train.map(lambda image, label: (tf.image.resize(image, size), label))
ds_test = ds_test.map(lambda image, label: (tf.image.resize(image, size), label))

img_augmentation = Sequential(
    [
        preprocessing.RandomRotation(factor=0.15),
        preprocessing.RandomTranslation(height_factor=0.1, width_factor=0.1),
        preprocessing.RandomFlip(),
        preprocessing.RandomContrast(factor=0.1),
    ],
    name="img_augmentation",
)


def input_preprocess(image, label):
    label = tf.one_hot(label, NUM_CLASSES)
    return image, label


ds_train = ds_train.map(input_preprocess, num_parallel_calls=tf.data.experimental.AUTOTUNE)
ds_train = ds_train.batch(batch_size=batch_size, drop_remainder=True)
ds_train = ds_train.prefetch(tf.data.experimental.AUTOTUNE)
ds_test = ds_test.map(input_preprocess)
ds_test = ds_test.batch(batch_size=batch_size, drop_remainder=True)


def mb_conv_block(inputs, filters_in, filters_out, strides, expand_ratio=2, se_ratio=0.25, name=""):
    filters = filters_in * expand_ratio
    x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=name + "expand_conv")(inputs)
    x = layers.BatchNormalization(name=name + "expand_bn")(x)
    x = layers.Activation(tf.nn.swish, name=name + "expand_activation")(x)
    x = layers.DepthwiseConv2D(3, strides=strides, padding="same", use_bias=False, name=name + "dwconv")(x)
    x = layers.BatchNormalization(name=name + "bn")(x)
    x = layers.Activation(tf.nn.swish, name=name + "activation")(x)
    filters_se = max(1, int(filters_in * se_ratio))
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=tf.nn.swish, name=name + "se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", name=name + "se_expand")(se)
    x = layers.multiply([x, se], name=name + "se_excite")
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, name=name + "project_conv")(x)
    x = layers.BatchNormalization(name=name + "project_bn")(x)
    if strides == 1 and filters_in == filters_out:
        x = layers.Dropout(0.1, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


def EfficientNetLite(include_top=False, input_tensor=None, weights=None):
    """A two-stage EfficientNet-style base built the way keras.applications builds one."""
    img_input = input_tensor
    x = preprocessing.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Conv2D(16, 3, strides=2, padding="same", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.Activation(tf.nn.swish, name="stem_activation")(x)
    x = mb_conv_block(x, 16, 16, 1, name="block1a_")
    x = mb_conv_block(x, 16, 24, 2, name="block2a_")
    x = layers.Conv2D(64, 1, padding="same", use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(name="top_bn")(x)
    x = layers.Activation(tf.nn.swish, name="top_activation")(x)
    inputs = keras.utils.get_source_inputs(input_tensor)
    return keras.Model(inputs, x, name="efficientnet_lite")


def build_model(num_classes):
    inputs = layers.Input(shape=(IMG_SIZE, IMG_SIZE, 3))
    x = img_augmentation(inputs)
    model = EfficientNetLite(include_top=False, input_tensor=x, weights="imagenet")

    # Freeze the pretrained weights
    model.trainable = False

    # Rebuild top
    x = layers.GlobalAveragePooling2D(name="avg_pool")(model.output)
    x = layers.BatchNormalization()(x)

    top_dropout_rate = 0.2
    x = layers.Dropout(top_dropout_rate, name="top_dropout")(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax", name="pred")(x)

    # Compile
    model = tf.keras.Model(inputs, outputs, name="EfficientNet")
    optimizer = tf.keras.optimizers.Adam(learning_rate=1e-2)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return model


model = build_model(num_classes=NUM_CLASSES)
trainable_before = len(model.trainable_weights)
hist = model.fit(ds_train, epochs=2, validation_data=ds_test, verbose=2)


def unfreeze_model(model):
    # We unfreeze the top 20 layers while leaving BatchNorm layers frozen
    for layer in model.layers[-20:]:
        if not isinstance(layer, layers.BatchNormalization):
            layer.trainable = True

    optimizer = tf.keras.optimizers.Adam(learning_rate=1e-4)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])


unfreeze_model(model)
print("trainable weights: %d -> %d" % (trainable_before, len(model.trainable_weights)))
assert len(model.trainable_weights) > trainable_before
hist = model.fit(ds_train, epochs=1, validation_data=ds_test, verbose=2)
print("accuracy:", hist.history["accuracy"][-1])

path = os.path.join(tempfile.mkdtemp(), "efficientnet_finetuned.h5")
model.save(path)
restored = keras.models.load_model(path)
images, _ = next(iter(ds_test))
np.testing.assert_allclose(restored.predict(images), model.predict(images), rtol=1e-4, atol=1e-5)
print("reloaded predictions match")
