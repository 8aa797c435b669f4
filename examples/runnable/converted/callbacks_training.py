"""Training with the usual callbacks plus a custom one that reads and sets the learning rate."""
import math
import os
import tempfile

import numpy as np
import keras


class LRLogger(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        lr = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        print("epoch %d lr %.6f" % (epoch, lr))


class HalveLROnEpoch(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 1:
            old = keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)
            self.model.optimizer.learning_rate.assign(old * 0.5)


def scheduler(epoch, lr):
    if epoch < 1:
        return lr
    return float(lr * math.exp(-0.1))


ckpt_dir = tempfile.mkdtemp()
callbacks = [
    keras.callbacks.ModelCheckpoint(os.path.join(ckpt_dir, "best.keras"), monitor="val_loss", save_best_only=True),
    keras.callbacks.ModelCheckpoint(os.path.join(ckpt_dir, "weights.{epoch:02d}.weights.h5"), save_weights_only=True),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True),
    keras.callbacks.LearningRateScheduler(scheduler),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1),
    keras.callbacks.CSVLogger(os.path.join(ckpt_dir, "log.csv")),
    LRLogger(),
    HalveLROnEpoch(),
]

model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.01), loss="mse")
x = np.random.rand(100, 4).astype("float32")
y = x.sum(axis=1, keepdims=True)
model.fit(x, y, validation_split=0.2, epochs=3, batch_size=20, callbacks=callbacks, verbose=0)
print(sorted(os.listdir(ckpt_dir)))
