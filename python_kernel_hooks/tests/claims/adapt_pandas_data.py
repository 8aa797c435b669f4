# TensorFlow pandas-dataframe tutorial: a Normalization layer adapted to a DataFrame of numeric
# columns. Keras 2 converted the DataFrame to an array; Keras 3 iterates it (its column names) and
# raises "adapt() expects an iterable that yields arrays or tensors" on every backend.
import numpy as np
import pandas as pd
import keras

df = pd.DataFrame({"age": np.arange(8.0), "chol": np.arange(8.0) * 3})
numeric_features = df[["age", "chol"]]
normalizer = keras.layers.Normalization(axis=-1)
normalizer.adapt(numeric_features)
print(keras.ops.convert_to_numpy(normalizer(numeric_features.iloc[:3].to_numpy())))
