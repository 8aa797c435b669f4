# A Sequence whose __getitem__ returns the targets of a two-output model as a Python list (Atienza's SSD/IIC
# generators, og47e repro_4b): Keras 3 on TensorFlow builds a tf.data pipeline from the first batch and fails
# ("`output_signature` must contain objects that are subclass of `tf.TypeSpec` but found <class 'list'>");
# JAX and PyTorch train (KM297 claims TensorFlow).
import numpy as np
import keras


class Batches(keras.utils.Sequence):
    def __len__(self):
        return 2

    def __getitem__(self, i):
        x = np.ones((4, 3), "float32")
        y = [np.ones((4, 2), "float32"), np.ones((4, 2), "float32")]
        return x, y


inputs = keras.Input((3,))
model = keras.Model(inputs, [keras.layers.Dense(2)(inputs), keras.layers.Dense(2)(inputs)])
model.compile(optimizer="adam", loss="mse")
model.fit(Batches(), epochs=1, verbose=0)
