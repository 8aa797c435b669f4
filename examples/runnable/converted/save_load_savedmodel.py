"""The TF2 SavedModel round trip most Keras 2 tutorials used: model.save(dir) then load_model(dir)."""
import numpy as np
import keras

inputs = keras.Input(shape=(6,), name="features")
hidden = keras.layers.Dense(8, activation="relu")(inputs)
outputs = keras.layers.Dense(2, activation="softmax")(hidden)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])

x = np.random.rand(40, 6).astype("float32")
y = np.random.randint(0, 2, size=(40,))
model.fit(x, y, epochs=1, verbose=0)

model.save("my_model.keras")
new_model = keras.models.load_model("my_model.keras")
new_model.summary()
loss, acc = new_model.evaluate(x, y, verbose=0)
print("Restored model, accuracy: {:5.2f}%".format(100 * acc))
