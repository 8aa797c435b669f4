# A random-flip layer whose call() branches in Python on a random draw (a Keras 2 augmentation
# layer after the RNG fix turned tf.random.uniform into keras.random.uniform): the draw is a
# tensor, so the `if` fails where fit traces the step (TensorFlow's compiled train step, JAX's jit)
# and runs on PyTorch (eager: a scalar tensor has a truth value).
import numpy as np, keras


class RandomFlip(keras.layers.Layer):
    def __init__(self, p=0.5, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1)
        self.p = p

    def call(self, x, training=None):
        if training:
            if keras.random.uniform([], seed=self.seed_generator) < self.p:
                return keras.ops.flip(x, axis=2)
        return x


inputs = keras.Input((8, 8, 1))
x = RandomFlip()(inputs)
outputs = keras.layers.Dense(2)(keras.layers.Flatten()(x))
model = keras.Model(inputs, outputs)
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(np.random.rand(16, 8, 8, 1).astype("float32"), np.random.randint(0, 2, 16), epochs=1, verbose=0)
