# reduction="auto" as a string (Keras 2's ReductionV2.AUTO), in a Loss subclass as keras.io
# RetinaNet wrote it: Keras 3.15 losses reject it ("Invalid value for argument `reduction`") on
# every backend.
import numpy as np
import keras


class SquaredLoss(keras.losses.Loss):
    def __init__(self):
        super(SquaredLoss, self).__init__(reduction="auto", name="squared")

    def call(self, y_true, y_pred):
        return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss=SquaredLoss())
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), verbose=0)
