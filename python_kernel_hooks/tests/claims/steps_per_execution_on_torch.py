# compile(steps_per_execution=10) (TensorFlow's evaluator and fault-tolerance migration guides): Keras 3's
# PyTorch trainer runs one step per call and fit() raises; TensorFlow and JAX run it.
import numpy as np
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", steps_per_execution=10)
model.fit(np.zeros((40, 3)), np.zeros((40, 1)), batch_size=4, epochs=1, verbose=0)
print(model.evaluate(np.zeros((8, 3)), np.zeros((8, 1)), verbose=0))
