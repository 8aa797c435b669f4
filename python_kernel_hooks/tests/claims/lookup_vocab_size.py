# TensorFlow CSV-loading tutorial: a CategoryEncoding sized by the lookup's vocab_size(), Keras 2's
# deprecated alias of vocabulary_size(). Keras 3 dropped the alias: AttributeError on every backend.
import numpy as np
import keras

lookup = keras.layers.StringLookup(vocabulary=np.array(["a", "b", "c"]))
one_hot = keras.layers.CategoryEncoding(num_tokens=lookup.vocab_size())
print(one_hot(lookup(np.array([["a"], ["c"]]))))
