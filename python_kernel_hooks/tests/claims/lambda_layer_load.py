# A Lambda around a Python lambda, saved and loaded back: Keras 3 refuses to deserialize it without
# safe_mode=False, on every backend.
import keras

inputs = keras.Input((3,))
model = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 2.0)(inputs))
model.save("m.keras")
restored = keras.models.load_model("m.keras")
