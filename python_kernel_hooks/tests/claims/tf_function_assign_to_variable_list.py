# keras.io DDPG's soft target update: a @tf.function assigning into the model variables it is
# passed. Keras 3's KerasVariables become tensors inside the tf.function ("'SymbolicTensor' object
# has no attribute 'assign'"), on every backend.
import numpy as np
import tensorflow as tf
import keras

actor = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
target_actor = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])


@tf.function
def update_target(target_weights, weights, tau):
    for (a, b) in zip(target_weights, weights):
        a.assign(b * tau + a * (1 - tau))


update_target(target_actor.variables, actor.variables, 0.005)
print(np.asarray(target_actor.variables[0]).shape)
