# A functional model holding a Layer subclass of this program, saved to .keras and loaded without
# the class in custom_objects (Keras 2 revived SavedModel directories without it): "Could not
# locate class 'Scale'" on every backend.
import numpy as np
import keras


class Scale(keras.layers.Layer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def call(self, x):
        return x * 2.0


inputs = keras.Input(shape=(3,))
outputs = keras.layers.Dense(1)(Scale(name="scale")(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
model.save("scaled_layer.keras")
restored = keras.models.load_model("scaled_layer.keras")
print(restored.predict(np.ones((1, 3), "float32"), verbose=0))
