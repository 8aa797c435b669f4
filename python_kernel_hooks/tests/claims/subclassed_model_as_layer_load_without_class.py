# A keras.Model subclass of this program used as a layer of a functional model, saved to .keras and
# loaded without the class (Keras 2 revived SavedModel directories without it): "Could not locate
# class 'Scale'" on every backend. Registered with @keras.saving.register_keras_serializable(), it loads.
import numpy as np
import keras


class Scale(keras.models.Model):
    def call(self, x):
        return x * 2.0


inputs = keras.Input(shape=(3,))
outputs = keras.layers.Dense(1)(Scale()(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
keras.models.save_model(model, "scaled_submodel.keras")
restored = keras.models.load_model("scaled_submodel.keras")
print(restored.predict(np.ones((1, 3), "float32"), verbose=0))
