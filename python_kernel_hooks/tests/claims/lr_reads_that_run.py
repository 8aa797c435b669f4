# Keras 2 "lr" reads that run on Keras 3: logs.get("lr") returns None (printed), and
# hasattr(optimizer, "lr") is False, so the read behind it never runs. Runs on every backend.
import numpy as np, keras


class ShowLR(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print("lr", logs.get("lr"))
        if hasattr(self.model.optimizer, "lr"):
            print("optimizer lr", float(self.model.optimizer.lr))


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(keras.optimizers.SGD(0.1), "mse")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0, epochs=2,
          callbacks=[keras.callbacks.ReduceLROnPlateau(monitor="loss"), ShowLR()])
