# Upper-case padding of a pooling layer in a Sequential (Géron's handson-ml2 ch. 14 ResNet-34 stem, og48b repro_7):
# Keras 2 lower-cased it; Keras 3's pooling layers raise "Argument `padding` must be either 'valid' or 'same'.
# Received: padding=SAME" on every backend while the model is built (KM305 claims all three; Conv2D still takes it).
import numpy as np
import keras

model = keras.models.Sequential([
    keras.Input(shape=(8, 8, 3)),
    keras.layers.Conv2D(4, 3, padding="SAME"),
    keras.layers.MaxPool2D(pool_size=3, strides=2, padding="SAME"),
    keras.layers.Flatten(),
    keras.layers.Dense(1),
])
print(model.predict(np.ones((1, 8, 8, 3)), verbose=0).shape)
print("OK")
