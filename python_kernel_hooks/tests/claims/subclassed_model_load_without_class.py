# A subclassed model saved to .keras and loaded without its class in custom_objects (Keras 2 revived
# SavedModel directories without it): "Could not locate class 'Net'" on every backend.
import numpy as np
import keras


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)


model = Net()
model.compile("sgd", "mse")
model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
model.save("net.keras")
restored = keras.models.load_model("net.keras", custom_objects={"mse": keras.losses.mean_squared_error})
print(restored.predict(np.ones((1, 3), "float32"), verbose=0))
