# keras.io preprocessing-layers guide: a multi_hot TextVectorization applied to a string Input of
# shape (1,) whose output feeds a model built for (None, vocabulary). Keras 3 gives the symbolic
# output (None, 1, vocabulary), so the end-to-end model fails to build on every backend (Keras 2
# built it: (None, vocabulary)).
import keras
from keras import layers

text_vectorizer = layers.TextVectorization(output_mode="multi_hot", ngrams=2)
text_vectorizer.adapt(["The Brain is wider than the Sky", "For put them side by side"])
features = keras.Input(shape=(text_vectorizer.vocabulary_size(),))
model = keras.Model(features, layers.Dense(1)(features))

inputs = keras.Input(shape=(1,), dtype="string")
x = text_vectorizer(inputs)
outputs = model(x)
end_to_end_model = keras.Model(inputs, outputs)
print(end_to_end_model.output.shape)
