# keras.io's Oxford Pets U-Net head: a softmax Conv2D (a rank-4 probability map) trained with
# "sparse_categorical_crossentropy". Keras 3.15's PyTorch backend runs nll_loss on the class axis
# moved first; the backward pass raises "grad_input must be contiguous". TensorFlow and JAX train it.
import numpy as np, keras

inputs = keras.Input((8, 8, 3))
outputs = keras.layers.Conv2D(3, 3, activation="softmax", padding="same")(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(4, 8, 8, 3).astype("float32"), np.random.randint(0, 3, (4, 8, 8, 1)).astype("uint8"), verbose=0)
