# A model of string inputs (a string Input into StringLookup, and a Sequential export model with
# TextVectorization first) that is built, compiled and summarised but never run on data: building
# runs on TensorFlow, JAX and PyTorch; only string data reaching the model fails off TensorFlow.
import keras

texts = ["a good movie", "a bad movie", "good good", "bad"]
inp = keras.Input(shape=(1,), name="thal", dtype="string")
x = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot")(inp)
model = keras.Model(inp, keras.layers.Dense(1)(x))
model.compile("adam", "mse")
vectorize = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4)
vectorize.adapt(texts)
export_model = keras.Sequential([vectorize, keras.layers.Embedding(21, 4), keras.layers.GlobalAveragePooling1D()])
export_model.summary()
