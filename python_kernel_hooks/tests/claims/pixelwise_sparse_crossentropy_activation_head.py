# The usual U-Net head (Chollet's DLwP ch. 9): a linear Conv2D followed by Activation("softmax"), a rank-4
# probability map, trained with "sparse_categorical_crossentropy". Keras 3.15's PyTorch backend runs
# nll_loss on the class axis moved first; the backward pass raises "grad_input must be contiguous" (on any
# rank-4 prediction, whatever makes it). TensorFlow and JAX train it.
import numpy as np, keras

inputs = keras.Input((8, 8, 3))
x = keras.layers.Conv2D(3, 1, padding="same")(inputs)
outputs = keras.layers.Activation("softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(4, 8, 8, 3).astype("float32"), np.random.randint(0, 3, (4, 8, 8, 1)).astype("uint8"), verbose=0)
