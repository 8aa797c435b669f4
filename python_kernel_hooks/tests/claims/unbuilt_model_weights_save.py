# A keras.Model subclass trained by its own train_step, with no call() or build() (keras.io CycleGAN,
# conditional GAN): Keras 3 never builds it, and saving its weights raises on every backend.
import numpy as np
import keras


class Pair(keras.Model):
    def __init__(self):
        super().__init__()
        self.net = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])

    def train_step(self, data):
        return {"loss": 0.0}


model = Pair()
model.compile()
model.save_weights("pair.weights.h5")
model.load_weights("pair.weights.h5")
print("done")
