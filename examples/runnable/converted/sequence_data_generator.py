"""A keras.utils.Sequence data generator (the common Keras 2 pattern for data that does not fit in
memory): __init__ without a super() call, per-epoch shuffling in on_epoch_end, NumPy augmentation
in __getitem__, and fit() with the queue and worker arguments of Keras 2, class weights, and
evaluate/predict on generators.

Keras 3 conversion: keras.utils.PyDataset (the Sequence successor) takes workers /
use_multiprocessing / max_queue_size in its constructor, which calls super().__init__(**kwargs);
fit() no longer takes them."""
import math

import numpy as np
import keras
from keras import layers


class DataGenerator(keras.utils.PyDataset):
    "Generates batches of (image, one-hot label)."

    def __init__(self, images, labels, batch_size=16, n_classes=3, shuffle=True, augment=False, **kwargs):
        super().__init__(**kwargs)
        self.images = images
        self.labels = labels
        self.batch_size = batch_size
        self.n_classes = n_classes
        self.shuffle = shuffle
        self.augment = augment
        self.on_epoch_end()

    def __len__(self):
        return math.ceil(len(self.images) / self.batch_size)

    def __getitem__(self, index):
        batch_ids = self.indexes[index * self.batch_size : (index + 1) * self.batch_size]
        x = self.images[batch_ids]
        if self.augment:
            flip = np.random.rand(len(x)) < 0.5
            x = np.where(flip[:, None, None, None], x[:, :, ::-1, :], x)
        y = keras.utils.to_categorical(self.labels[batch_ids], num_classes=self.n_classes)
        return x, y

    def on_epoch_end(self):
        self.indexes = np.arange(len(self.images))
        if self.shuffle:
            np.random.shuffle(self.indexes)


rng = np.random.default_rng(5)
images = rng.normal(size=(120, 10, 10, 1)).astype("float32")
labels = (images[:, :5].mean(axis=(1, 2, 3)) > 0).astype("int64") + (images[:, 5:].mean(axis=(1, 2, 3)) > 0.1)

training_generator = DataGenerator(images[:96], labels[:96], augment=True, workers=2, use_multiprocessing=False, max_queue_size=4)
validation_generator = DataGenerator(images[96:], labels[96:], shuffle=False)

model = keras.Sequential(
    [
        keras.Input(shape=(10, 10, 1)),
        layers.Conv2D(8, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(3, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(
    training_generator,
    validation_data=validation_generator,
    epochs=2,
    class_weight={0: 1.0, 1: 1.0, 2: 2.0},
    verbose=0,
)
loss, accuracy = model.evaluate(validation_generator, verbose=0)
print(f"validation accuracy {accuracy:.2f}")
probabilities = model.predict(validation_generator, verbose=0)
assert probabilities.shape == (24, 3)
