"""BiT-style fine-tuning followed by near-duplicate image search on tiny synthetic images (in the
style of the tf.keras-era keras.io "Image Classification using BigTransfer (BiT)" and
"Near-duplicate image search" examples): a tf.data pipeline whose map calls RandomFlip /
RandomCrop layer instances on single images next to tf.image.resize and image / 255.0, repeat()
sized from a schedule length, a MyBiTModel keras.Model subclass wrapping a pretrained module (a
small Sequential standing in for the TF-Hub BiT layer) with a zero-initialised head,
PiecewiseConstantDecay + SGD(momentum), EarlyStopping(restore_best_weights=True),
the embedding model assembled from bit_model.layers[...] with Normalization(mean=0, variance=1),
saved to a SavedModel directory and reloaded with tf.keras.models.load_model, and a numpy
locality-sensitive-hashing index (random projections, bool2int) queried with predict()."""
import time

import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(0)
np.random.seed(0)

"""
## Hyperparameters
"""
RESIZE_TO = 40
CROP_TO = 32
IMAGE_SIZE = 32
BATCH_SIZE = 8
NUM_CLASSES = 5
SCHEDULE_LENGTH = 8
SCHEDULE_BOUNDARIES = [2, 4, 6]
STEPS_PER_EPOCH = 4
DATASET_NUM_TRAIN_EXAMPLES = 40
AUTO = tf.data.AUTOTUNE

"""
## Synthetic flowers-like data
"""
rng = np.random.default_rng(5)
train_images = rng.integers(0, 255, size=(DATASET_NUM_TRAIN_EXAMPLES, 48, 48, 3)).astype("uint8")
train_labels = rng.integers(0, NUM_CLASSES, size=(DATASET_NUM_TRAIN_EXAMPLES,))
val_images = rng.integers(0, 255, size=(16, 48, 48, 3)).astype("uint8")
val_labels = rng.integers(0, NUM_CLASSES, size=(16,))

train_ds = tf.data.Dataset.from_tensor_slices((train_images, train_labels))
validation_ds = tf.data.Dataset.from_tensor_slices((val_images, val_labels))

"""
## Define the data pipeline
"""
random_flip = keras.layers.RandomFlip("horizontal")
random_crop = keras.layers.RandomCrop(CROP_TO, CROP_TO)


def preprocess_train(image, label):
    image = random_flip(image)
    image = tf.image.resize(image, (RESIZE_TO, RESIZE_TO))
    image = random_crop(image)
    image = image / 255.0
    return (image, label)


def preprocess_test(image, label):
    image = tf.image.resize(image, (RESIZE_TO, RESIZE_TO))
    image = tf.image.central_crop(image, CROP_TO / RESIZE_TO)
    image = image / 255.0
    return (image, label)


repeat_count = int(SCHEDULE_LENGTH * BATCH_SIZE / DATASET_NUM_TRAIN_EXAMPLES / STEPS_PER_EPOCH)
repeat_count += 50 + 1

pipeline_train = (
    train_ds.shuffle(100)
    .repeat(repeat_count)
    .map(preprocess_train, num_parallel_calls=AUTO)
    .batch(BATCH_SIZE)
    .prefetch(AUTO)
)
pipeline_validation = (
    validation_ds.map(preprocess_test, num_parallel_calls=AUTO)
    .batch(BATCH_SIZE)
    .prefetch(AUTO)
)

"""
## Load the pretrained "BiT" module (a small convnet standing in for hub.KerasLayer)
"""
bit_module = keras.Sequential(
    [
        keras.layers.Conv2D(8, 3, strides=2, activation="relu"),
        keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
    ],
    name="bit_m_r50x1",
)


class MyBiTModel(keras.Model):
    def __init__(self, num_classes, module, **kwargs):
        super().__init__(**kwargs)

        self.num_classes = num_classes
        self.head = keras.layers.Dense(num_classes, kernel_initializer="zeros")
        self.bit_model = module

    def call(self, images):
        bit_embedding = self.bit_model(images)
        return self.head(bit_embedding)


model = MyBiTModel(num_classes=NUM_CLASSES, module=bit_module)

"""
## Define optimizer and loss
"""
learning_rate = 0.003 * BATCH_SIZE / 512

# Decay learning rate by a factor of 10 at SCHEDULE_BOUNDARIES.
lr_schedule = keras.optimizers.schedules.PiecewiseConstantDecay(
    boundaries=SCHEDULE_BOUNDARIES,
    values=[
        learning_rate,
        learning_rate * 0.1,
        learning_rate * 0.01,
        learning_rate * 0.001,
    ],
)
optimizer = keras.optimizers.SGD(learning_rate=lr_schedule, momentum=0.9)

loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

model.compile(optimizer=optimizer, loss=loss_fn, metrics=["accuracy"])

train_callbacks = [
    keras.callbacks.EarlyStopping(
        monitor="val_accuracy", patience=2, restore_best_weights=True
    )
]

history = model.fit(
    pipeline_train,
    batch_size=BATCH_SIZE,
    epochs=int(SCHEDULE_LENGTH / STEPS_PER_EPOCH),
    steps_per_epoch=STEPS_PER_EPOCH,
    validation_data=pipeline_validation,
    callbacks=train_callbacks,
)
accuracy = model.evaluate(pipeline_validation)[1] * 100
print("Accuracy: {:.2f}%".format(accuracy))

"""
## Near-duplicate search: the embedding model
"""
bit_model = tf.keras.Sequential(
    [
        tf.keras.layers.InputLayer((IMAGE_SIZE, IMAGE_SIZE, 3)),
        tf.keras.layers.Rescaling(scale=1.0 / 255),
        model.bit_model,
        tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ]
)

embedding_model = tf.keras.Sequential(
    [
        tf.keras.layers.Input((IMAGE_SIZE, IMAGE_SIZE, 3)),
        tf.keras.layers.Rescaling(scale=1.0 / 255),
        bit_model.layers[1],
        tf.keras.layers.Normalization(mean=0, variance=1),
    ],
    name="embedding_model",
)
embedding_model.summary()

embedding_model.save("embedding_model")
embedding_model = tf.keras.models.load_model("embedding_model")

"""
## Hashing utilities
"""


def hash_func(embedding, random_vectors):
    embedding = np.array(embedding)

    # Random projection.
    bools = np.dot(embedding, random_vectors) > 0
    return [bool2int(bool_vec) for bool_vec in bools]


def bool2int(x):
    y = 0
    for i, j in enumerate(x):
        if j:
            y += 1 << i
    return y


class Table:
    def __init__(self, hash_size, dim):
        self.table = {}
        self.hash_size = hash_size
        self.random_vectors = np.random.randn(hash_size, dim).T

    def add(self, id, vectors, label):
        # Create a unique indentifier.
        entry = {"id_label": str(id) + "_" + str(label)}

        # Compute the hash values.
        hashes = hash_func(vectors, self.random_vectors)

        # Add the hash values to the current table.
        for h in hashes:
            if h in self.table:
                self.table[h].append(entry)
            else:
                self.table[h] = [entry]

    def query(self, vectors):
        # Compute hash value for the query vector.
        hashes = hash_func(vectors, self.random_vectors)
        results = []

        # Loop over the query hashes and determine if they exist in
        # the current table.
        for h in hashes:
            if h in self.table:
                results.extend(self.table[h])
        return results


class LSH:
    def __init__(self, hash_size, dim, num_tables):
        self.num_tables = num_tables
        self.tables = []
        for i in range(self.num_tables):
            self.tables.append(Table(hash_size, dim))

    def add(self, id, vectors, label):
        for table in self.tables:
            table.add(id, vectors, label)

    def query(self, vectors):
        results = []
        for table in self.tables:
            results.extend(table.query(vectors))
        return results


class BuildLSHTables:
    def __init__(
        self, hash_size=8, dim=16, num_tables=10, lsh_class=LSH,
    ):
        self.hash_size = hash_size
        self.dim = dim
        self.num_tables = num_tables
        self.lsh = lsh_class(self.hash_size, self.dim, self.num_tables)

        self.prediction_model = embedding_model

    def train(self, training_files):
        for id, training_file in enumerate(training_files):
            # Unpack the data.
            image, label = training_file
            if len(image.shape) < 4:
                image = image[None, ...]

            # Compute embeddings and update the LSH tables.
            features = self.prediction_model.predict(image)
            self.lsh.add(id, features, label)

    def query(self, image, verbose=True):
        # Compute the embeddings of the query image and fetch the results.
        if len(image.shape) < 4:
            image = image[None, ...]

        features = self.prediction_model.predict(image)

        start = time.time()
        results = self.lsh.query(features)
        end = time.time() - start
        if verbose:
            print("Query time: ", end)

        # Calculate Jaccard index to quantify the similarity.
        counts = {}
        for r in results:
            if r["id_label"] in counts:
                counts[r["id_label"]] += 1
            else:
                counts[r["id_label"]] = 1
        for k in counts:
            counts[k] = float(counts[k]) / self.dim
        return counts


"""
## Build the index from resized validation images and query it
"""
images = []
labels = []
for (image, label) in validation_ds.map(
    lambda x, y: (tf.image.resize(x, (IMAGE_SIZE, IMAGE_SIZE)), y)
).take(8):
    images.append(image.numpy())
    labels.append(label.numpy())
images = np.array(images)
labels = np.array(labels)

lsh_builder = BuildLSHTables()
lsh_builder.train(zip(images, labels))

results = lsh_builder.query(images[0])
print("Matches for the first image:", sorted(results.items(), key=lambda kv: -kv[1])[:3])
