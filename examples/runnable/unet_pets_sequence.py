"""keras.io "Image segmentation with a U-Net-like architecture" (Oxford-IIIT Pets), tf.keras era:
images and trimap masks saved as files (.npy here: no PIL on this machine), an
OxfordPets(keras.utils.Sequence) that reads a batch of paths into preallocated NumPy arrays in
__getitem__ (img_to_array, tf.image.resize to img_size, nearest-neighbour for the masks; targets
shifted from 1,2,3 to 0,1,2), an Xception-style U-Net of SeparableConv2D / Conv2DTranspose /
UpSampling2D blocks with residual layers.add, fit(sequence) with an .h5
ModelCheckpoint(save_best_only=True), predict on the validation sequence and argmax masks."""
import os
import random
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.preprocessing.image import img_to_array


def load_img(path, target_size, color_mode="rgb"):
    """Stands in for keras.preprocessing.image.load_img (PIL) on the .npy files written below."""
    array = img_to_array(np.load(path))
    if color_mode == "grayscale":  # a 2-D image, like PIL's "L" mode
        return tf.image.resize(array, target_size, method="nearest")[:, :, 0]
    return tf.image.resize(array, target_size)

# Synthetic stand-in for images/ and annotations/trimaps/ (the example downloads them).
work_dir = tempfile.mkdtemp()
input_dir = os.path.join(work_dir, "images")
target_dir = os.path.join(work_dir, "annotations", "trimaps")
os.makedirs(input_dir)
os.makedirs(target_dir)
rng = np.random.default_rng(0)
for n in range(24):
    image = rng.integers(0, 255, size=(40, 40, 3)).astype("uint8")
    trimap = np.ones((40, 40, 1), dtype="uint8")
    trimap[10:30, 10:30] = 2
    trimap[10:30, 10:12] = 3
    np.save(os.path.join(input_dir, f"pet_{n}.npy"), image)
    np.save(os.path.join(target_dir, f"pet_{n}.npy"), trimap)

img_size = (32, 32)
num_classes = 3
batch_size = 4

input_img_paths = sorted(
    [os.path.join(input_dir, fname) for fname in os.listdir(input_dir) if fname.endswith(".npy")]
)
target_img_paths = sorted(
    [
        os.path.join(target_dir, fname)
        for fname in os.listdir(target_dir)
        if fname.endswith(".npy") and not fname.startswith(".")
    ]
)
print("Number of samples:", len(input_img_paths))


class OxfordPets(keras.utils.Sequence):
    """Helper to iterate over the data (as Numpy arrays)."""

    def __init__(self, batch_size, img_size, input_img_paths, target_img_paths):
        self.batch_size = batch_size
        self.img_size = img_size
        self.input_img_paths = input_img_paths
        self.target_img_paths = target_img_paths

    def __len__(self):
        return len(self.target_img_paths) // self.batch_size

    def __getitem__(self, idx):
        """Returns tuple (input, target) correspond to batch #idx."""
        i = idx * self.batch_size
        batch_input_img_paths = self.input_img_paths[i : i + self.batch_size]
        batch_target_img_paths = self.target_img_paths[i : i + self.batch_size]
        x = np.zeros((self.batch_size,) + self.img_size + (3,), dtype="float32")
        for j, path in enumerate(batch_input_img_paths):
            img = load_img(path, target_size=self.img_size)
            x[j] = img
        y = np.zeros((self.batch_size,) + self.img_size + (1,), dtype="uint8")
        for j, path in enumerate(batch_target_img_paths):
            img = load_img(path, target_size=self.img_size, color_mode="grayscale")
            y[j] = np.expand_dims(img, 2)
            # Ground truth labels are 1, 2, 3. Subtract one to make them 0, 1, 2:
            y[j] -= 1
        return x, y


def get_model(img_size, num_classes):
    inputs = keras.Input(shape=img_size + (3,))

    ### [First half of the network: downsampling inputs] ###
    x = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    previous_block_activation = x  # Set aside residual

    for filters in [16]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)

        # Project residual
        residual = layers.Conv2D(filters, 1, strides=2, padding="same")(previous_block_activation)
        x = layers.add([x, residual])  # Add back residual
        previous_block_activation = x  # Set aside next residual

    ### [Second half of the network: upsampling inputs] ###
    for filters in [16, 8]:
        x = layers.Activation("relu")(x)
        x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.Activation("relu")(x)
        x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.UpSampling2D(2)(x)

        # Project residual
        residual = layers.UpSampling2D(2)(previous_block_activation)
        residual = layers.Conv2D(filters, 1, padding="same")(residual)
        x = layers.add([x, residual])  # Add back residual
        previous_block_activation = x  # Set aside next residual

    # Add a per-pixel classification layer
    outputs = layers.Conv2D(num_classes, 3, activation="softmax", padding="same")(x)

    # Define the model
    model = keras.Model(inputs, outputs)
    return model


# Free up RAM in case the model definition cells were run multiple times
keras.backend.clear_session()

# Build model
model = get_model(img_size, num_classes)
model.summary()

# Split our img paths into a training and a validation set
val_samples = 8
random.Random(1337).shuffle(input_img_paths)
random.Random(1337).shuffle(target_img_paths)
train_input_img_paths = input_img_paths[:-val_samples]
train_target_img_paths = target_img_paths[:-val_samples]
val_input_img_paths = input_img_paths[-val_samples:]
val_target_img_paths = target_img_paths[-val_samples:]

# Instantiate data Sequences for each split
train_gen = OxfordPets(batch_size, img_size, train_input_img_paths, train_target_img_paths)
val_gen = OxfordPets(batch_size, img_size, val_input_img_paths, val_target_img_paths)

# Configure the model for training.
# We use the "sparse" version of categorical_crossentropy
# because our target data is integers.
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")

callbacks = [
    keras.callbacks.ModelCheckpoint(
        os.path.join(work_dir, "oxford_segmentation.h5"), save_best_only=True
    )
]

# Train the model, doing validation at the end of each epoch.
epochs = 2
model.fit(train_gen, epochs=epochs, validation_data=val_gen, callbacks=callbacks)

# Generate predictions for all images in the validation set
val_gen = OxfordPets(batch_size, img_size, val_input_img_paths, val_target_img_paths)
val_preds = model.predict(val_gen)


def display_mask(i):
    """Quick utility to display a model's prediction."""
    mask = np.argmax(val_preds[i], axis=-1)
    mask = np.expand_dims(mask, axis=-1)
    return mask


# Compare the ground-truth target mask and the predicted mask
i = 2
ground_truth = load_img(val_target_img_paths[i], target_size=img_size, color_mode="grayscale")
print(val_preds.shape, display_mask(i).shape, float(np.mean(display_mask(i)[:, :, 0] == np.asarray(ground_truth) - 1)))
