# keras.random without a seed in a layer made inside a subclassed model's call(), compiled with
# jit_compile=False: fit() still traces call() on JAX (the symbolic build), so the draw fails there.
import numpy as np, keras
class Sampling(keras.layers.Layer):
    def call(self, inputs):
        mean, log_var = inputs
        return mean + keras.ops.exp(0.5 * log_var) * keras.random.normal(keras.ops.shape(mean))
class VAE(keras.Model):
    def __init__(self):
        super().__init__()
        self.mean = keras.layers.Dense(4)
        self.log_var = keras.layers.Dense(4)
        self.decoder = keras.layers.Dense(8)
    def call(self, x):
        return self.decoder(Sampling()([self.mean(x), self.log_var(x)]))
x = np.random.rand(32, 8).astype("float32")
model = VAE()
model.compile(optimizer="adam", loss="mse", jit_compile=False)
model.fit(x, x, epochs=1, batch_size=16, verbose=0)
