"""Writing your own callbacks, as in the tf.keras guide, plus the built-in callbacks users chain.

A callback that stops at the minimum loss and restores the best weights (get_weights /
set_weights), a learning-rate schedule callback that reads and writes the optimizer's learning
rate through the backend, a LambdaCallback, batch-level hooks reading logs, and the learning rate
that ReduceLROnPlateau records in the history.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras


def get_model():
    model = keras.Sequential()
    model.add(keras.layers.Dense(1, input_dim=784))
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=0.1),
        loss="mean_squared_error",
        metrics=["mean_absolute_error"],
    )
    return model


rng = np.random.RandomState(3)
x_train = rng.rand(256, 784).astype("float32")
y_train = x_train[:, :8].sum(axis=1)
x_test = rng.rand(64, 784).astype("float32")
y_test = x_test[:, :8].sum(axis=1)


class LossAndErrorPrintingCallback(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if batch % 4 == 0:
            print("Up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"]))

    def on_test_batch_end(self, batch, logs=None):
        if batch == 0:
            print("Testing: up to batch {}, the average loss is {:7.2f}.".format(batch, logs["loss"]))

    def on_epoch_end(self, epoch, logs=None):
        print("The average loss for epoch {} is {:7.2f} and mean absolute error is {:7.2f}.".format(
            epoch, logs["loss"], logs["mean_absolute_error"]))


class EarlyStoppingAtMinLoss(keras.callbacks.Callback):
    """Stop training when the loss is at its min, i.e. the loss stops decreasing."""

    def __init__(self, patience=0):
        super(EarlyStoppingAtMinLoss, self).__init__()
        self.patience = patience
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = logs.get("loss")
        if np.less(current, self.best):
            self.best = current
            self.wait = 0
            self.best_weights = self.model.get_weights()
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True
                print("Restoring model weights from the end of the best epoch.")
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0:
            print("Epoch %05d: early stopping" % (self.stopped_epoch + 1))


class CustomLearningRateScheduler(keras.callbacks.Callback):
    def __init__(self, schedule):
        super(CustomLearningRateScheduler, self).__init__()
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        if not hasattr(self.model.optimizer, "lr"):
            raise ValueError('Optimizer must have a "lr" attribute.')
        lr = float(tf.keras.backend.get_value(self.model.optimizer.learning_rate))
        scheduled_lr = self.schedule(epoch, lr)
        tf.keras.backend.set_value(self.model.optimizer.lr, scheduled_lr)
        print("Epoch %05d: Learning rate is %6.4f." % (epoch, scheduled_lr))


LR_SCHEDULE = [(1, 0.05), (2, 0.01)]


def lr_schedule(epoch, lr):
    if epoch < LR_SCHEDULE[0][0] or epoch > LR_SCHEDULE[-1][0]:
        return lr
    for i in range(len(LR_SCHEDULE)):
        if epoch == LR_SCHEDULE[i][0]:
            return LR_SCHEDULE[i][1]
    return lr


model = get_model()
model.fit(
    x_train, y_train, batch_size=32, epochs=2, verbose=0,
    validation_data=(x_test, y_test),
    callbacks=[LossAndErrorPrintingCallback()],
)
res = model.evaluate(x_test, y_test, batch_size=32, verbose=0, callbacks=[LossAndErrorPrintingCallback()])

model = get_model()
model.fit(x_train, y_train, batch_size=64, epochs=4, verbose=0,
          callbacks=[EarlyStoppingAtMinLoss(patience=1), CustomLearningRateScheduler(lr_schedule)])

epoch_times = []
model = get_model()
history = model.fit(
    x_train, y_train, batch_size=64, epochs=4, verbose=0,
    validation_data=(x_test, y_test),
    callbacks=[
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=0, min_lr=1e-4),
        keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: epoch_times.append(epoch)),
        keras.callbacks.TerminateOnNaN(),
    ],
)
print("epochs seen:", epoch_times)
print("learning rates:", [round(float(v), 5) for v in history.history["lr"]])
print("final optimizer lr:", float(keras.backend.get_value(model.optimizer.lr)))
