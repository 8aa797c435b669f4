# A Keras 2 style batch generator storing its batch count as `self.num_batches`: since Keras 3.3
# `PyDataset.num_batches` is a read-only property, "property 'num_batches' of 'CountedBatches'
# object has no setter" on every backend.
import keras
import numpy as np


class CountedBatches(keras.utils.Sequence):
    def __init__(self, num_batches):
        self.num_batches = num_batches

    def __len__(self):
        return self.num_batches

    def __getitem__(self, index):
        return np.full((4, 3), index, "float32"), np.ones((4, 1), "float32")


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(CountedBatches(3), epochs=1, verbose=0)
