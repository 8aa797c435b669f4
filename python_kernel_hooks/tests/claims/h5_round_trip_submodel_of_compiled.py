# A legacy .h5 round trip of a sub-model (`vae.decoder`) of a compiled outer model: compiling the
# outer model does not compile the sub-model, so it loads back and trains on every backend.
import os, tempfile
import numpy as np, keras


class AutoEncoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        self.decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])

    def call(self, x):
        return self.decoder(self.encoder(x))


path = os.path.join(tempfile.mkdtemp(), "decoder.h5")
vae = AutoEncoder()
vae.compile(optimizer="sgd", loss="mse")
vae.fit(np.ones((8, 3), "float32"), np.ones((8, 3), "float32"), verbose=0)
vae.decoder.save(path)
restored = keras.models.load_model(path)
restored.predict(np.ones((2, 2), "float32"), verbose=0)
restored.compile(optimizer="sgd", loss="mse")
restored.fit(np.ones((8, 2), "float32"), np.ones((8, 3), "float32"), verbose=0)
