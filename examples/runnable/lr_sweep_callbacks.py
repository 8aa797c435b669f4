"""A small hyperparameter sweep with callbacks (tf.keras era, no Keras Tuner).

A LearningRateSchedule subclass (linear warmup then inverse square root decay with
tf.math ops and get_config), ReduceLROnPlateau + EarlyStopping + a custom callback
reading the optimizer's learning rate with keras.backend.get_value, a sweep over
units and dropout, and the best model kept with clone_model/set_weights.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class WarmupInverseSqrt(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, peak_lr, warmup_steps=10):
        super(WarmupInverseSqrt, self).__init__()
        self.peak_lr = peak_lr
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = tf.cast(step, tf.float32) + 1.0
        warmup = tf.cast(self.warmup_steps, tf.float32)
        arg1 = tf.math.rsqrt(step) * tf.math.sqrt(warmup)
        arg2 = step / warmup
        return self.peak_lr * tf.math.minimum(arg1, arg2)

    def get_config(self):
        return {"peak_lr": self.peak_lr, "warmup_steps": self.warmup_steps}


class LearningRateLogger(keras.callbacks.Callback):
    """Record the learning rate at the end of each epoch."""

    def __init__(self):
        super(LearningRateLogger, self).__init__()
        self.rates = []

    def on_epoch_end(self, epoch, logs=None):
        lr = self.model.optimizer.lr
        if isinstance(lr, keras.optimizers.schedules.LearningRateSchedule):
            lr = lr(self.model.optimizer.iterations)
        value = float(keras.backend.get_value(lr))
        self.rates.append(value)
        logs = logs or {}
        logs["lr"] = value


rng = np.random.RandomState(0)
x = rng.normal(size=(256, 10)).astype("float32")
w = rng.normal(size=(10, 1)).astype("float32")
y = (x @ w > 0).astype("float32")
x_train, y_train, x_val, y_val = x[:192], y[:192], x[192:], y[192:]


def build_model(units, dropout):
    model = keras.Sequential(
        [
            layers.Dense(units, activation="relu", input_shape=(10,)),
            layers.Dropout(dropout),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    return model


schedule = WarmupInverseSqrt(peak_lr=0.01, warmup_steps=5)
restored = WarmupInverseSqrt.from_config(schedule.get_config())
assert restored.warmup_steps == 5
print("lr at step 0, 4, 50:", [float(schedule(s)) for s in (0, 4, 50)])

results = []
best = None
for units in (8, 16):
    for dropout in (0.0, 0.2):
        keras.backend.clear_session()
        model = build_model(units, dropout)
        # Use the schedule for the first trial only; ReduceLROnPlateau needs a float lr.
        lr = schedule if (units, dropout) == (8, 0.0) else 0.01
        callbacks = [LearningRateLogger()]
        if not isinstance(lr, keras.optimizers.schedules.LearningRateSchedule):
            callbacks.append(
                keras.callbacks.ReduceLROnPlateau(
                    monitor="val_loss", factor=0.5, patience=1, min_lr=1e-4, verbose=1
                )
            )
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=2, restore_best_weights=True
            )
        )
        model.compile(
            optimizer=keras.optimizers.Adam(lr),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
        history = model.fit(
            x_train,
            y_train,
            validation_data=(x_val, y_val),
            batch_size=32,
            epochs=3,
            callbacks=callbacks,
            verbose=0,
        )
        val_loss = min(history.history["val_loss"])
        results.append((units, dropout, val_loss, history.history["lr"][-1]))
        print("units=%d dropout=%.1f val_loss=%.4f lr=%.5f" % results[-1])
        if best is None or val_loss < best[0]:
            best_model = keras.models.clone_model(model)
            best_model.set_weights(model.get_weights())
            best = (val_loss, units, dropout)

print("best:", best)
best_model.compile(loss="binary_crossentropy", metrics=["accuracy"])
print(best_model.evaluate(x_val, y_val, verbose=0))
