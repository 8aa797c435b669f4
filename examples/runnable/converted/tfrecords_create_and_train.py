"""Converting image + annotation data to TFRecords, reading them back and training on them (Keras 3).

Hand conversion of ../tfrecords_create_and_train.py: the TFRecord writing and the tf.data reading stay
TensorFlow (tf.data runs on every backend); the model side uses `keras` directly
(keras.applications.MobileNet on a keras.layers.Input, keras.optimizers / keras.losses).
"""
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras

rng = np.random.RandomState(3)
root_dir = tempfile.mkdtemp()
images_dir = os.path.join(root_dir, "val2017")
tfrecords_dir = os.path.join(root_dir, "tfrecords")
os.makedirs(images_dir)

annotations = []
for index in range(48):
    image_id = 1000 + index
    pixels = rng.randint(0, 256, size=(40 + index % 3, 48, 3)).astype("uint8")
    tf.io.write_file(f"{images_dir}/{image_id:012d}.jpg", tf.io.encode_jpeg(pixels))
    annotations.append(
        {
            "area": float(rng.uniform(10, 500)),
            "bbox": [float(v) for v in rng.uniform(0, 40, size=4)],
            "category_id": int(rng.randint(1, 91)),
            "id": index,
            "image_id": image_id,
        }
    )
print(f"Number of images: {len(annotations)}")

n_samples = 32
n_tfrecods = len(annotations) // n_samples
if len(annotations) % n_samples:
    n_tfrecods += 1  # add one record if there are any remaining samples

if not os.path.exists(tfrecords_dir):
    os.makedirs(tfrecords_dir)


def image_feature(value):
    """Returns a bytes_list from a string / byte."""
    return tf.train.Feature(
        bytes_list=tf.train.BytesList(value=[tf.io.encode_jpeg(value).numpy()])
    )


def bytes_feature(value):
    """Returns a bytes_list from a string / byte."""
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value.encode()]))


def float_feature(value):
    """Returns a float_list from a float / double."""
    return tf.train.Feature(float_list=tf.train.FloatList(value=[value]))


def int64_feature(value):
    """Returns an int64_list from a bool / enum / int / uint."""
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


def float_feature_list(value):
    """Returns a list of float_list from a float / double."""
    return tf.train.Feature(float_list=tf.train.FloatList(value=value))


def create_example(image, path, example):
    feature = {
        "image": image_feature(image),
        "path": bytes_feature(path),
        "area": float_feature(example["area"]),
        "bbox": float_feature_list(example["bbox"]),
        "category_id": int64_feature(example["category_id"]),
        "id": int64_feature(example["id"]),
        "image_id": int64_feature(example["image_id"]),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature))


def parse_tfrecord_fn(example):
    feature_description = {
        "image": tf.io.FixedLenFeature([], tf.string),
        "path": tf.io.FixedLenFeature([], tf.string),
        "area": tf.io.FixedLenFeature([], tf.float32),
        "bbox": tf.io.VarLenFeature(tf.float32),
        "category_id": tf.io.FixedLenFeature([], tf.int64),
        "id": tf.io.FixedLenFeature([], tf.int64),
        "image_id": tf.io.FixedLenFeature([], tf.int64),
    }
    example = tf.io.parse_single_example(example, feature_description)
    example["image"] = tf.io.decode_jpeg(example["image"], channels=3)
    example["bbox"] = tf.sparse.to_dense(example["bbox"])
    return example


for tfrec_num in range(n_tfrecods):
    samples = annotations[(tfrec_num * n_samples) : ((tfrec_num + 1) * n_samples)]
    with tf.io.TFRecordWriter(
        tfrecords_dir + "/file_%.2i-%i.tfrec" % (tfrec_num, len(samples))
    ) as writer:
        for sample in samples:
            image_path = f"{images_dir}/{sample['image_id']:012d}.jpg"
            image = tf.io.decode_jpeg(tf.io.read_file(image_path))
            example = create_example(image, image_path, sample)
            writer.write(example.SerializeToString())

raw_dataset = tf.data.TFRecordDataset(f"{tfrecords_dir}/file_00-{n_samples}.tfrec")
parsed_dataset = raw_dataset.map(parse_tfrecord_fn)

for features in parsed_dataset.take(1):
    for key in features.keys():
        if key != "image":
            print(f"{key}: {features[key]}")
    print(f"Image shape: {features['image'].shape}")
    assert features["image"].numpy().shape[-1] == 3
    assert features["bbox"].shape == (4,)


def prepare_sample(features):
    image = tf.image.resize(features["image"], size=(32, 32))
    return image, features["category_id"]


def get_dataset(filenames, batch_size):
    """Return a Tensorflow dataset ready for training or inference."""
    dataset = (
        tf.data.TFRecordDataset(filenames, num_parallel_reads=tf.data.experimental.AUTOTUNE)
        .map(parse_tfrecord_fn, num_parallel_calls=tf.data.experimental.AUTOTUNE)
        .map(prepare_sample, num_parallel_calls=tf.data.experimental.AUTOTUNE)
        .shuffle(batch_size * 10)
        .batch(batch_size)
        .prefetch(tf.data.experimental.AUTOTUNE)
    )
    return dataset


train_filenames = tf.io.gfile.glob(tfrecords_dir + "/*.tfrec")
batch_size = 16
epochs = 1
steps_per_epoch = 2

input_tensor = keras.layers.Input(shape=(32, 32, 3), name="image")
model = keras.applications.MobileNet(
    input_tensor=input_tensor, weights=None, classes=91, alpha=0.25
)

model.compile(
    optimizer=keras.optimizers.Adam(),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=["sparse_categorical_accuracy"],
)

history = model.fit(
    x=get_dataset(train_filenames, batch_size),
    epochs=epochs,
    steps_per_epoch=steps_per_epoch,
    verbose=2,
)
print(sorted(history.history))
