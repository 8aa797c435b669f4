"""3D image classification from CT scans (keras.io, tf.keras era), on synthetic volumes.

scipy.ndimage rotation applied through tf.numpy_function inside a tf.data map, tf.expand_dims to
add the channel, Conv3D / MaxPool3D / BatchNormalization / GlobalAveragePooling3D, an
ExponentialDecay schedule, ModelCheckpoint to .h5 and EarlyStopping on "val_acc".
"""
import random

import numpy as np
import tensorflow as tf
from scipy import ndimage
from tensorflow import keras
from tensorflow.keras import layers

np.random.seed(0)
random.seed(0)
tf.random.set_seed(0)

WIDTH, HEIGHT, DEPTH = 16, 16, 8


def normalize(volume):
    """Normalize the volume (Hounsfield units clipped to [-1000, 400])."""
    min = -1000
    max = 400
    volume[volume < min] = min
    volume[volume > max] = max
    volume = (volume - min) / (max - min)
    volume = volume.astype("float32")
    return volume


def resize_volume(img):
    """Resize across z-axis"""
    desired_depth = DEPTH
    desired_width = WIDTH
    desired_height = HEIGHT
    current_depth = img.shape[-1]
    current_width = img.shape[0]
    current_height = img.shape[1]
    depth_factor = 1 / (current_depth / desired_depth)
    width_factor = 1 / (current_width / desired_width)
    height_factor = 1 / (current_height / desired_height)
    img = ndimage.rotate(img, 90, reshape=False)
    img = ndimage.zoom(img, (width_factor, height_factor, depth_factor), order=1)
    return img


def process_scan(label):
    """Make a synthetic scan (a bright blob for abnormal scans), normalize and resize it."""
    volume = np.random.uniform(-1200, 200, size=(24, 24, 12))
    if label:
        volume[8:16, 8:16, 4:8] += 600
    volume = normalize(volume)
    volume = resize_volume(volume)
    return volume


abnormal_scans = np.array([process_scan(1) for _ in range(12)])
normal_scans = np.array([process_scan(0) for _ in range(12)])
abnormal_labels = np.array([1 for _ in range(len(abnormal_scans))])
normal_labels = np.array([0 for _ in range(len(normal_scans))])

x_train = np.concatenate((abnormal_scans[:8], normal_scans[:8]), axis=0)
y_train = np.concatenate((abnormal_labels[:8], normal_labels[:8]), axis=0)
x_val = np.concatenate((abnormal_scans[8:], normal_scans[8:]), axis=0)
y_val = np.concatenate((abnormal_labels[8:], normal_labels[8:]), axis=0)
print("Number of samples in train and validation are %d and %d." % (x_train.shape[0], x_val.shape[0]))


@tf.function
def rotate(volume):
    """Rotate the volume by a few degrees"""

    def scipy_rotate(volume):
        angles = [-20, -10, -5, 5, 10, 20]
        angle = random.choice(angles)
        volume = ndimage.rotate(volume, angle, reshape=False)
        volume[volume < 0] = 0
        volume[volume > 1] = 1
        return volume

    augmented_volume = tf.numpy_function(scipy_rotate, [volume], tf.float32)
    return augmented_volume


def train_preprocessing(volume, label):
    """Process training data by rotating and adding a channel."""
    volume = rotate(volume)
    volume = tf.expand_dims(volume, axis=3)
    return volume, label


def validation_preprocessing(volume, label):
    """Process validation data by only adding a channel."""
    volume = tf.expand_dims(volume, axis=3)
    return volume, label


train_loader = tf.data.Dataset.from_tensor_slices((x_train, y_train))
validation_loader = tf.data.Dataset.from_tensor_slices((x_val, y_val))
batch_size = 4
train_dataset = (
    train_loader.shuffle(len(x_train))
    .map(train_preprocessing)
    .batch(batch_size)
    .prefetch(2)
)
validation_dataset = (
    validation_loader.shuffle(len(x_val))
    .map(validation_preprocessing)
    .batch(batch_size)
    .prefetch(2)
)

data = train_dataset.take(1)
images, labels = list(data)[0]
images = images.numpy()
print("Dimension of the CT scan is:", images[0].shape)


def get_model(width=WIDTH, height=HEIGHT, depth=DEPTH):
    """Build a 3D convolutional neural network model."""
    inputs = keras.Input((width, height, depth, 1))

    x = layers.Conv3D(filters=4, kernel_size=3, activation="relu")(inputs)
    x = layers.MaxPool3D(pool_size=2)(x)
    x = layers.BatchNormalization()(x)

    x = layers.Conv3D(filters=8, kernel_size=3, activation="relu", padding="same")(x)
    x = layers.MaxPool3D(pool_size=2)(x)
    x = layers.BatchNormalization()(x)

    x = layers.GlobalAveragePooling3D()(x)
    x = layers.Dense(units=16, activation="relu")(x)
    x = layers.Dropout(0.3)(x)

    outputs = layers.Dense(units=1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs, name="3dcnn")
    return model


model = get_model(width=WIDTH, height=HEIGHT, depth=DEPTH)
model.summary()

initial_learning_rate = 0.0001
lr_schedule = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate, decay_steps=100000, decay_rate=0.96, staircase=True
)
model.compile(
    loss="binary_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=lr_schedule),
    metrics=["acc"],
)

checkpoint_cb = keras.callbacks.ModelCheckpoint("3d_image_classification.h5", save_best_only=True)
early_stopping_cb = keras.callbacks.EarlyStopping(monitor="val_acc", patience=15)

epochs = 1
model.fit(
    train_dataset,
    validation_data=validation_dataset,
    epochs=epochs,
    shuffle=True,
    verbose=2,
    callbacks=[checkpoint_cb, early_stopping_cb],
)

for i, metric in enumerate(["acc", "loss"]):
    print(metric, model.history.history[metric], model.history.history["val_" + metric])

model.load_weights("3d_image_classification.h5")
prediction = model.predict(np.expand_dims(x_val[0], axis=0))[0]
scores = [1 - prediction[0], prediction[0]]
class_names = ["normal", "abnormal"]
for score, name in zip(scores, class_names):
    print("This model is %.2f percent confident that CT scan is %s" % ((100 * score), name))
