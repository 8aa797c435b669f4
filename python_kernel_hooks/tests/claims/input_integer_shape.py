# keras.io DDPG's critic: layers.Input(shape=(num_states)) with a module constant is an integer in
# parentheses, which Keras 2 made a 1-tuple; Keras 3 raises "Cannot convert '3' to a shape." on every
# backend.
import numpy as np
import keras
from keras import layers

num_states = 3


def get_critic():
    state_input = layers.Input(shape=(num_states))
    out = layers.Dense(1)(state_input)
    return keras.Model(state_input, out)


critic = get_critic()
print(critic(np.ones((2, 3), "float32")).shape)
