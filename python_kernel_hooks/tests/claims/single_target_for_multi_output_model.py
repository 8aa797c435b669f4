# One target array for a two-output Functional model compiled with two losses: Keras 2 used it for
# both outputs; Keras 3 raises "y_true and y_pred have different structures" on every backend.
import numpy as np, keras

inputs = keras.Input((4,))
hidden = keras.layers.Dense(8, activation="relu")(inputs)
similarity = keras.layers.Dense(3, activation="softmax")(hidden)
clusters = keras.layers.Dense(3, activation="softmax")(hidden)
model = keras.Model(inputs=inputs, outputs=[similarity, clusters])
model.compile(optimizer="adam", loss=["categorical_crossentropy", "categorical_crossentropy"])
labels = keras.utils.to_categorical(np.random.randint(0, 3, 16), 3)
model.fit(np.random.rand(16, 4).astype("float32"), labels, batch_size=8, epochs=1, verbose=0)
