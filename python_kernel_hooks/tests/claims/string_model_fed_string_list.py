# A model that takes strings, given a Python list of strings to predict on (keras.io's Keras 2 text
# examples did this): Keras 3 refuses list data ("Unrecognized data type") on every backend, TensorFlow included.
import keras

texts = ["a good movie", "a bad movie", "good good", "bad"]
vectorize = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)
vectorize.adapt(texts)
model = keras.Sequential([vectorize, keras.layers.Embedding(21, 4), keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
examples = ["The movie was great!", "The movie was terrible..."]
print(model.predict(examples, verbose=0))
