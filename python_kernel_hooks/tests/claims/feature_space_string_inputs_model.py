# keras.io structured data: an end-to-end inference model on a FeatureSpace's raw inputs, with a
# string feature. Predicting on a raw sample runs on TensorFlow; JAX and PyTorch tensors cannot
# hold strings.
import numpy as np
import tensorflow as tf
import keras
from keras.utils import FeatureSpace

data = {"thal": np.array(["fixed", "normal", "reversible", "normal"] * 4), "age": np.arange(16, dtype="float32")}
ds = tf.data.Dataset.from_tensor_slices(data).batch(4)
feature_space = FeatureSpace(
    features={"thal": FeatureSpace.string_categorical(num_oov_indices=1), "age": FeatureSpace.float_normalized()},
    output_mode="concat",
)
feature_space.adapt(ds)
encoded = feature_space.get_encoded_features()
predictions = keras.layers.Dense(1, activation="sigmoid")(encoded)
inference_model = keras.Model(inputs=feature_space.get_inputs(), outputs=predictions)
sample = {"thal": tf.convert_to_tensor(["fixed"]), "age": tf.convert_to_tensor([60.0])}
print(inference_model.predict(sample, verbose=0))
