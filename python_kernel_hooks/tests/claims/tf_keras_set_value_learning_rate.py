# Keras 2's learning-rate schedule by hand: tf.keras.backend.set_value on the optimizer's learning
# rate. With Keras 3, tf.keras's legacy set_value only handles TF variables: on the optimizer's
# Keras 3 variable it raises AttributeError on every backend, TensorFlow included.
import numpy as np
import keras
from tensorflow.keras import backend as K


class StepDecay(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        K.set_value(self.model.optimizer.learning_rate, 0.01 * 0.5**epoch)


model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0, epochs=2, callbacks=[StepDecay()])
