"""Hand conversion to multi-backend Keras 3 of sequence_float64_branch_pool.py.

The batches are made float32 (what Keras 2's fit() trained on), the branch list is stacked before
keras.ops see it, and the loss moves into compute_loss() so fit() runs it on every backend.
"""
import numpy as np
import keras
from keras import ops


class NoisyBlocks(keras.utils.PyDataset):
    def __init__(self, n_batches=4, batch=16, seed=1, **kwargs):
        super().__init__(**kwargs)
        self.n_batches = n_batches
        self.batch = batch
        self.rng = np.random.default_rng(seed)

    def __len__(self):
        return self.n_batches

    def __getitem__(self, idx):
        feats = np.zeros((self.batch, 6), dtype="float32")
        target = np.empty((self.batch, 1), dtype="float32")
        for k in range(self.batch):
            feats[k] = self.rng.normal(size=6)
            target[k] = 0.5 * feats[k].sum()
        return feats, target


class BranchPool(keras.layers.Layer):
    def __init__(self, width, branches=3, **kwargs):
        super().__init__(**kwargs)
        self.heads = [keras.layers.Dense(width, activation="relu") for _ in range(branches)]

    def call(self, x):
        outs = ops.stack([head(x) for head in self.heads])
        gates = ops.softmax(outs, axis=0)
        return ops.max(outs, axis=0) + ops.mean(gates, axis=0)


class Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.pool = BranchPool(8)
        self.head = keras.layers.Dense(1)

    def call(self, x):
        return self.head(self.pool(x))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        err = y - y_pred
        return ops.mean(err * err) + 0.1 * ops.mean(ops.abs(err))


model = Regressor()
model.compile(optimizer=keras.optimizers.Adam(0.01))
history = model.fit(NoisyBlocks(), epochs=2, verbose=2)
print("final loss", history.history["loss"][-1])
print(model.predict(NoisyBlocks(n_batches=1)[0][0], verbose=0).shape)
