# A keras.losses.Loss subclass whose call() branches in Python on its second argument, handed a
# Python flag (keras.io GauGAN's DiscriminatorLoss(y, is_real)): Keras 3's Loss.__call__ converts
# it to a tensor, so the branch fails where the step is traced (TensorFlow's compiled train step,
# JAX's jit) and runs on PyTorch (eager, a scalar tensor has a truth value).
import numpy as np, keras
from keras import ops


class DiscriminatorLoss(keras.losses.Loss):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hinge_loss = keras.losses.Hinge()

    def call(self, y, is_real):
        label = 1.0 if is_real else -1.0
        return self.hinge_loss(label, y)


class Critic(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.d_loss = DiscriminatorLoss()

    def call(self, x):
        return self.dense(x)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return self.d_loss(y_pred, True)


model = Critic()
model.compile("sgd")
model.fit(np.ones((8, 3), "float32"), np.ones((8, 1), "float32"), batch_size=4, verbose=0)
