# keras.io FeatureSpace advanced use cases (Keras 2): a feature cross of three features. Keras 2's
# HashedCrossing crossed any number of features; Keras 3's crosses exactly two, so building the
# FeatureSpace (adapt) fails on every backend ("Expected as input a list/tuple of 2 tensors").
import numpy as np
import tensorflow as tf
import keras
from keras.utils import FeatureSpace

data = {
    "default": np.array(["no", "unknown"] * 8),
    "housing": np.array(["yes", "no", "unknown", "no"] * 4),
    "loan": np.array(["no", "yes"] * 8),
}
ds = tf.data.Dataset.from_tensor_slices(data).batch(4)
feature_space = FeatureSpace(
    features={
        "default": FeatureSpace.string_categorical(num_oov_indices=0),
        "housing": FeatureSpace.string_categorical(num_oov_indices=0),
        "loan": FeatureSpace.string_categorical(num_oov_indices=0),
    },
    crosses=[FeatureSpace.cross(feature_names=("default", "housing", "loan"), crossing_dim=6)],
    output_mode="concat",
)
feature_space.adapt(ds)
for x in ds.take(1):
    print(feature_space(x).shape)
