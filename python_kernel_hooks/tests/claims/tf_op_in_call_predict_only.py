# tf.squeeze on a layer's tensors behind a Dense, in a program that only predicts and evaluates: JAX
# traces the layer (even building the functional model fails there); PyTorch runs predict and
# evaluate under torch.no_grad(), where the tensors need no grad and TensorFlow takes them. A direct
# model(x) call or fit fails on PyTorch (tf_op_in_call.py trains).
import numpy as np, keras, tensorflow as tf


class Squeeze(keras.layers.Layer):
    def call(self, x):
        return tf.squeeze(x, axis=1)


inputs = keras.Input((1, 4))
hidden = keras.layers.Dense(4)(inputs)
model = keras.Model(inputs, keras.layers.Dense(2)(Squeeze()(hidden)))
model.compile("sgd", "mse")
x = np.ones((8, 1, 4), "float32")
print(model.predict(x, verbose=0).shape, model.evaluate(x, np.ones((8, 2), "float32"), verbose=0))
