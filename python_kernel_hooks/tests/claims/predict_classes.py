# Sequential.predict_classes() is gone (since TF 2.6 already): AttributeError on every backend.
import numpy as np, keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="softmax")])
model.compile("sgd", "categorical_crossentropy")
labels = model.predict_classes(np.ones((8, 3), "float32"))
print(labels)
