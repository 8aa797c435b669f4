# A Lambda doing tf.strings ops as a layer of a Sequential: Keras 3's Sequential.build() gives up on the Lambda's
# shape inference and runs the layers one by one, so TensorFlow runs it; JAX and PyTorch fail on the strings
# ("Invalid dtype: object").
import tensorflow as tf
import keras
from keras import layers

vec = layers.TextVectorization(max_tokens=20, output_sequence_length=4)
vec.adapt(["a b c", "b c d", "the end"])
model = keras.Sequential([
    keras.Input(shape=(), dtype="string"),
    layers.Lambda(lambda s: tf.strings.lower(s)),
    vec, layers.Embedding(20, 4), layers.GlobalAveragePooling1D(), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
ds = tf.data.Dataset.from_tensor_slices((["A b", "c D", "the b", "d a"], [0.0, 1.0, 0.0, 1.0])).batch(2)
model.fit(ds, epochs=1, verbose=0)
print(model.predict(tf.constant(["THE END"]), verbose=0).shape)
