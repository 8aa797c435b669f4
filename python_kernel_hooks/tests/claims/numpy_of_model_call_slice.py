# NumPy on a slice of a direct model call's output (greedy decoding): on PyTorch it requires grad.
import numpy as np, keras
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5)])
predictions = model(np.ones((1, 3), "float32"))
print(int(np.argmax(predictions[0, :])))
