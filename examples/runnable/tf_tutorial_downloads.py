"""TensorFlow tutorials (tf.keras era): datasets fetched with get_file and read the Keras 2 way,
and a regression model's Normalization statistics and kernel read back with .numpy(). Local
archives stand in for the downloads (file:// URLs).
"""
import os
import pathlib
import tarfile
import zipfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

os.environ["KERAS_HOME"] = os.path.abspath("keras_home")

# Stand-ins for the tutorials' archives: a text dataset (tar.gz) and an image folder (zip, tgz).
for label in ("pos", "neg"):
    os.makedirs(f"source/reviews/train/{label}", exist_ok=True)
    for i in range(4):
        with open(f"source/reviews/train/{label}/{i}.txt", "w") as f:
            f.write(f"a {'fine' if label == 'pos' else 'dull'} film number {i}")
with tarfile.open("source/reviews_v1.tar.gz", "w:gz") as archive:
    archive.add("source/reviews", arcname="reviews")
os.makedirs("source/flower_photos/roses", exist_ok=True)
for i in range(3):
    with open(f"source/flower_photos/roses/{i}.jpg", "wb") as f:
        f.write(b"x")
with tarfile.open("source/flower_photos.tgz", "w:gz") as archive:
    archive.add("source/flower_photos", arcname="flower_photos")
with zipfile.ZipFile("source/cats_and_dogs.zip", "w") as archive:
    archive.write("source/flower_photos/roses/0.jpg", "cats_and_dogs_filtered/train/cats/0.jpg")

# Text classification tutorial: the folder beside the returned path.
dataset = tf.keras.utils.get_file("reviews_v1.tar.gz", "file://" + os.path.abspath("source/reviews_v1.tar.gz"),
                                  untar=True, cache_dir=".", cache_subdir="")
dataset_dir = os.path.join(os.path.dirname(dataset), "reviews")
train_dir = os.path.join(dataset_dir, "train")
raw_train_ds = tf.keras.utils.text_dataset_from_directory(train_dir, batch_size=4)
print("text batches", len(list(raw_train_ds)))

# Image loading tutorial: fname without an extension names the archive's top folder.
data_dir = tf.keras.utils.get_file(origin="file://" + os.path.abspath("source/flower_photos.tgz"),
                                   fname="flower_photos", untar=True)
data_dir = pathlib.Path(data_dir)
image_count = len(list(data_dir.glob("*/*.jpg")))
assert image_count == 3, image_count

# Transfer learning tutorial: a zip extracted beside the download.
path_to_zip = tf.keras.utils.get_file("cats_and_dogs.zip", origin="file://" + os.path.abspath("source/cats_and_dogs.zip"),
                                      extract=True)
PATH = os.path.join(os.path.dirname(path_to_zip), "cats_and_dogs_filtered")
assert os.listdir(os.path.join(PATH, "train")) == ["cats"]

# Regression tutorial: the statistics a Normalization layer adapted to.
features = np.random.rand(32, 3).astype("float32")
labels = features @ np.array([[1.0], [2.0], [3.0]], "float32")
normalizer = layers.Normalization(axis=-1)
normalizer.adapt(features)
print("mean", normalizer.mean.numpy())

# Time-series tutorial: a linear model's kernel column, and MAE looked up by name.
linear = keras.Sequential([normalizer, layers.Dense(units=1)])
linear.compile(loss=tf.losses.MeanSquaredError(), optimizer=tf.optimizers.Adam(), metrics=[tf.metrics.MeanAbsoluteError()])
linear.fit(features, labels, epochs=2, verbose=0)
weights = linear.layers[1].kernel[:, 0].numpy()
print("weights", weights.shape)
performance = linear.evaluate(features, labels, verbose=0)
print("val loss and MAE", performance)
print("DONE")
