# Adam(lr=...): Keras 3 optimizers take only learning_rate= ("Argument(s) not recognized") on every backend.
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(keras.optimizers.Adam(lr=0.01), "mse")
