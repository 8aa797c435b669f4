"""Image classification from a folder of images (keras.io "from scratch" style) on synthetic PNGs.

Writes small PNG files into one sub-folder per class (f-string paths), reads them back with
image_dataset_from_directory, trains a small convnet with augmentation inside the model,
checkpoints to .h5, saves the model under a folder and loads it back for inference.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf  # file writing and tf.data only
import keras
from keras import layers

image_size = (24, 24)
batch_size = 8
base_dir = tempfile.mkdtemp()
data_dir = f"{base_dir}/images"

rng = np.random.default_rng(3)
for label, name in enumerate(["cats", "dogs"]):
    os.makedirs(f"{data_dir}/{name}", exist_ok=True)
    for i in range(12):
        pixels = rng.integers(0, 255, size=image_size + (3,), dtype=np.uint8)
        pixels[..., label] = 255
        tf.io.write_file(f"{data_dir}/{name}/{i}.png", tf.io.encode_png(pixels))

train_ds = keras.utils.image_dataset_from_directory(
    data_dir, validation_split=0.25, subset="training", seed=1337,
    image_size=image_size, batch_size=batch_size,
)
val_ds = keras.utils.image_dataset_from_directory(
    data_dir, validation_split=0.25, subset="validation", seed=1337,
    image_size=image_size, batch_size=batch_size,
)
print(train_ds.class_names)
train_ds = train_ds.prefetch(buffer_size=4)
val_ds = val_ds.prefetch(buffer_size=4)

data_augmentation = keras.Sequential(
    [
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.1),
    ]
)


def make_model(input_shape, num_classes):
    inputs = keras.Input(shape=input_shape)
    x = data_augmentation(inputs)
    x = layers.Rescaling(1.0 / 255)(x)
    x = layers.Conv2D(8, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    previous_block_activation = x
    for size in [8, 16]:
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = layers.Conv2D(size, 1, strides=2, padding="same")(previous_block_activation)
        x = layers.add([x, residual])
        previous_block_activation = x
    x = layers.GlobalAveragePooling2D()(x)
    units = 1 if num_classes == 2 else num_classes
    outputs = layers.Dense(units, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


model = make_model(input_shape=image_size + (3,), num_classes=2)
callbacks = [keras.callbacks.ModelCheckpoint(os.path.join(base_dir, "save_at_{epoch}.keras"))]
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
              metrics=["accuracy"])
model.fit(train_ds, epochs=2, callbacks=callbacks, validation_data=val_ds, verbose=0)

model.save(f"{base_dir}/classifier.keras")
reloaded = keras.models.load_model(f"{base_dir}/classifier.keras")

image = tf.io.decode_png(tf.io.read_file(f"{data_dir}/dogs/0.png"))
img_array = tf.image.resize(image, image_size)
img_array = tf.expand_dims(img_array, 0)
predictions = reloaded.predict(img_array, verbose=0)
score = float(predictions[0][0])
print("This image is %.2f percent cat and %.2f percent dog." % (100 * (1 - score), 100 * score))
