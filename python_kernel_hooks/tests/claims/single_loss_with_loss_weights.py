# One loss for a two-output model with a list of loss_weights (Géron's handson-ml2 ch. 10 WideAndDeepModel, og48a
# repro_1): Keras 2 applied the loss to every output; Keras 3 raises "`loss_weights` must match the number of losses,
# got 1 losses and 2 weights." on every backend (KM299 claims all three; `loss=["mse", "mse"]` runs).
import numpy as np
import keras

input_a = keras.Input(shape=(5,))
input_b = keras.Input(shape=(6,))
hidden = keras.layers.Dense(4, activation="relu")(input_b)
main_output = keras.layers.Dense(1)(keras.layers.concatenate([input_a, hidden]))
aux_output = keras.layers.Dense(1)(hidden)
model = keras.Model([input_a, input_b], [main_output, aux_output])
model.compile(loss="mse", loss_weights=[0.9, 0.1], optimizer="sgd")
xa, xb, y = np.random.rand(32, 5), np.random.rand(32, 6), np.random.rand(32, 1)
model.fit([xa, xb], [y, y], epochs=1, verbose=0)
print("OK")
