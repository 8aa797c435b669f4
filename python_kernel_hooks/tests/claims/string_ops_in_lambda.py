# A Lambda layer comparing its string input with a string literal, without output_shape (keras.io
# feature engineering with Lambda layers): Keras 3 infers a Lambda's output shape by calling the
# function on float placeholders, so building the model fails on TensorFlow too ("We could not
# automatically infer the shape of the Lambda's output"); JAX and PyTorch have no string tensors.
import tensorflow as tf
import keras


def is_fixed(x):
    """1.0 where the category is "fixed"."""
    return keras.ops.cast(x == "fixed", "float32")


thal = keras.Input(shape=(1,), dtype="string", name="thal")
flag = keras.layers.Lambda(is_fixed, name="is_fixed")(thal)
outputs = keras.layers.Dense(1, activation="sigmoid")(flag)
model = keras.Model(thal, outputs)
model.compile(optimizer="sgd", loss="binary_crossentropy")
data = tf.data.Dataset.from_tensor_slices(
    (tf.constant([["fixed"], ["normal"], ["reversible"], ["fixed"]]), tf.constant([[1.0], [0.0], [0.0], [1.0]]))
).batch(2)
model.fit(data, epochs=1, verbose=0)
print(model.predict(tf.constant([["fixed"]]), verbose=0))
