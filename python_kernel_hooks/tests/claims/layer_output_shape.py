# Layers lost output_shape in Keras 3 (models keep it): AttributeError on every backend.
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
for layer in model.layers:
    print(layer.name, layer.output_shape)
