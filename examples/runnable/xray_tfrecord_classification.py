"""Pneumonia classification from chest X-rays stored as TFRecords, in the style of the keras.io "X-ray
classification with TPUs" example of the tf.keras era: two TFRecord files (raw JPEG bytes and file paths)
written here with tf.io.TFRecordWriter / tf.io.encode_jpeg, read back with tf.data.TFRecordDataset and
zipped; class counts from path strings (filename.numpy().decode()); a label from tf.strings.split(path,
"/")[-2] == "PNEUMONIA" and tf.image.decode_jpeg / tf.image.resize in a Dataset.map; shuffle / take /
skip split, cache / batch / prefetch; a TPU-or-default tf.distribute strategy with the model built and
compiled in strategy.scope(); functional conv / dense blocks (SeparableConv2D, BatchNormalization,
MaxPool2D, Dropout) after a Rescaling layer; a log-ratio initial bias and class_weight; callbacks
ModelCheckpoint("xray_model.h5", save_best_only=True) and EarlyStopping(restore_best_weights=True); an
Adam optimizer on tf.keras.optimizers.schedules.ExponentialDecay; BinaryAccuracy / Precision / Recall
metrics read back from history.history; evaluate(return_dict=True) and a prediction on one batch."""
import os
import tempfile

import numpy as np
import tensorflow as tf

try:
    tpu = tf.distribute.cluster_resolver.TPUClusterResolver.connect()
    strategy = tf.distribute.TPUStrategy(tpu)
except Exception:
    strategy = tf.distribute.get_strategy()
print("Number of replicas:", strategy.num_replicas_in_sync)

AUTOTUNE = tf.data.AUTOTUNE
BATCH_SIZE = 4 * strategy.num_replicas_in_sync
IMAGE_SIZE = [32, 32]
CLASS_NAMES = ["NORMAL", "PNEUMONIA"]

# Synthetic stand-in for the ChestXRay2017 TFRecords: JPEG bytes in one file, paths in another.
data_dir = tempfile.mkdtemp()
rng = np.random.default_rng(11)


def write_records(split, n):
    images_path = os.path.join(data_dir, f"{split}_images.tfrec")
    paths_path = os.path.join(data_dir, f"{split}_paths.tfrec")
    with tf.io.TFRecordWriter(images_path) as images_writer, tf.io.TFRecordWriter(
        paths_path
    ) as paths_writer:
        for i in range(n):
            label = CLASS_NAMES[int(rng.random() < 0.7)]
            pixels = rng.integers(0, 256, size=(40, 40, 3)).astype("uint8")
            if label == "PNEUMONIA":
                pixels[10:30, 10:30] = 230
            images_writer.write(tf.io.encode_jpeg(pixels).numpy())
            paths_writer.write(f"chest_xray/{split}/{label}/img_{i}.jpeg".encode())
    return images_path, paths_path


train_images_file, train_paths_file = write_records("train", 40)
test_images_file, test_paths_file = write_records("test", 12)

train_images = tf.data.TFRecordDataset(train_images_file)
train_paths = tf.data.TFRecordDataset(train_paths_file)
ds = tf.data.Dataset.zip((train_images, train_paths))

COUNT_NORMAL = len(
    [p for p in train_paths if "NORMAL" in p.numpy().decode("utf-8")]
)
COUNT_PNEUMONIA = len(
    [p for p in train_paths if "PNEUMONIA" in p.numpy().decode("utf-8")]
)
print(f"Normal: {COUNT_NORMAL}, pneumonia: {COUNT_PNEUMONIA}")


def get_label(file_path):
    parts = tf.strings.split(file_path, "/")
    return parts[-2] == "PNEUMONIA"


def decode_img(img):
    img = tf.image.decode_jpeg(img, channels=3)
    return tf.image.resize(img, IMAGE_SIZE)


def process_path(image, path):
    label = get_label(path)
    img = decode_img(image)
    return img, label


ds = ds.map(process_path, num_parallel_calls=AUTOTUNE)
ds = ds.shuffle(100, seed=1, reshuffle_each_iteration=False)
train_ds = ds.take(32)
val_ds = ds.skip(32)

for image, label in train_ds.take(1):
    print("Image shape:", image.numpy().shape, "label:", label.numpy())

test_ds = tf.data.Dataset.zip(
    (tf.data.TFRecordDataset(test_images_file), tf.data.TFRecordDataset(test_paths_file))
)
test_ds = test_ds.map(process_path, num_parallel_calls=AUTOTUNE).batch(BATCH_SIZE)


def prepare_for_training(ds, cache=True):
    if cache:
        ds = ds.cache(cache) if isinstance(cache, str) else ds.cache()
    ds = ds.batch(BATCH_SIZE)
    return ds.prefetch(buffer_size=AUTOTUNE)


train_ds = prepare_for_training(train_ds)
val_ds = prepare_for_training(val_ds)

image_batch, label_batch = next(iter(train_ds))
print("batch:", image_batch.numpy().shape, label_batch.numpy()[:4])

from tensorflow import keras
from tensorflow.keras import layers


def conv_block(filters, inputs):
    x = layers.SeparableConv2D(filters, 3, activation="relu", padding="same")(inputs)
    x = layers.SeparableConv2D(filters, 3, activation="relu", padding="same")(x)
    x = layers.BatchNormalization()(x)
    return layers.MaxPool2D()(x)


def dense_block(units, dropout_rate, inputs):
    x = layers.Dense(units, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    return layers.Dropout(dropout_rate)(x)


def build_model():
    inputs = keras.Input(shape=(IMAGE_SIZE[0], IMAGE_SIZE[1], 3))
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
    x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
    x = layers.MaxPool2D()(x)
    x = conv_block(16, x)
    x = conv_block(32, x)
    x = layers.Dropout(0.2)(x)
    x = layers.Flatten()(x)
    x = dense_block(32, 0.5, x)
    x = dense_block(16, 0.3, x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


initial_bias = np.log([COUNT_PNEUMONIA / COUNT_NORMAL])
print("Initial bias: {:.5f}".format(initial_bias[0]))

TRAIN_IMG_COUNT = COUNT_NORMAL + COUNT_PNEUMONIA
weight_for_0 = (1 / COUNT_NORMAL) * TRAIN_IMG_COUNT / 2.0
weight_for_1 = (1 / COUNT_PNEUMONIA) * TRAIN_IMG_COUNT / 2.0
class_weight = {0: weight_for_0, 1: weight_for_1}

checkpoint_cb = tf.keras.callbacks.ModelCheckpoint("xray_model.h5", save_best_only=True)
early_stopping_cb = tf.keras.callbacks.EarlyStopping(
    patience=10, restore_best_weights=True
)

lr_schedule = tf.keras.optimizers.schedules.ExponentialDecay(
    0.015, decay_steps=100000, decay_rate=0.96, staircase=True
)

with strategy.scope():
    model = build_model()
    METRICS = [
        tf.keras.metrics.BinaryAccuracy(),
        tf.keras.metrics.Precision(name="precision"),
        tf.keras.metrics.Recall(name="recall"),
    ]
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=lr_schedule),
        loss="binary_crossentropy",
        metrics=METRICS,
    )

history = model.fit(
    train_ds,
    epochs=3,
    validation_data=val_ds,
    class_weight=class_weight,
    callbacks=[checkpoint_cb, early_stopping_cb],
    verbose=2,
)

for met in ["precision", "recall", "binary_accuracy", "loss"]:
    print(met, history.history[met][-1], history.history["val_" + met][-1])

print(model.evaluate(test_ds, return_dict=True, verbose=0))

for image, label in test_ds.take(1):
    print("first test label:", CLASS_NAMES[label[0].numpy()])

prediction = model.predict(test_ds.take(1), verbose=0)[0][0]
scores = [1 - prediction, prediction]
for score, name in zip(scores, CLASS_NAMES):
    print("This image is %.2f percent %s" % ((100 * score), name))
