"""keras.io "Using pre-trained word embeddings" (tf.keras version) on synthetic newsgroup-style
messages and a synthetic "GloVe" file: TextVectorization adapted on a tf.data dataset of strings,
vectorizer([["..."]]).numpy(), a word index from get_vocabulary(), an embedding matrix built in NumPy
from the parsed vectors (np.fromstring), Embedding(embeddings_initializer=keras.initializers.Constant(
matrix), trainable=False), a Conv1D classifier on int64 sequences, vectorizer(np.array(...)).numpy()
as training data, and an end-to-end model taking raw strings (keras.Input(shape=(1,), dtype="string")
-> vectorizer -> model) called on a string array."""
import os
import tempfile

import keras
import numpy as np
import tensorflow as tf
from keras import layers
from keras.layers import TextVectorization

"""
## Synthetic data: two topics with their own words
"""

rng = np.random.RandomState(1337)
class_names = ["comp.graphics", "rec.autos"]
topic_words = [
    ["pixel", "render", "shader", "polygon", "texture", "graphics", "modeling", "3d"],
    ["engine", "wheel", "brake", "car", "gear", "tire", "motor", "drive"],
]
common = ["the", "a", "is", "on", "about", "this", "message", "of", "and", "my"]

samples = []
labels = []
for _ in range(96):
    label = rng.randint(0, 2)
    words = list(rng.choice(topic_words[label], 8)) + list(rng.choice(common, 6))
    rng.shuffle(words)
    samples.append(" ".join(words))
    labels.append(label)

validation_split = 0.2
num_validation_samples = int(validation_split * len(samples))
train_samples = samples[:-num_validation_samples]
val_samples = samples[-num_validation_samples:]
train_labels = labels[:-num_validation_samples]
val_labels = labels[-num_validation_samples:]

"""
## Create a vocabulary index
"""

vectorizer = TextVectorization(max_tokens=2000, output_sequence_length=20)
text_ds = tf.data.Dataset.from_tensor_slices(train_samples).batch(16)
vectorizer.adapt(text_ds)
print(vectorizer.get_vocabulary()[:5])

output = vectorizer([["the cat sat on the mat"]])
print(keras.ops.convert_to_numpy(output)[0, :6])

voc = vectorizer.get_vocabulary()
word_index = dict(zip(voc, range(len(voc))))

"""
## Load "pre-trained" word embeddings (a synthetic GloVe-format text file)
"""

embedding_dim = 16
glove_path = os.path.join(tempfile.mkdtemp(), "glove.synthetic.16d.txt")
with open(glove_path, "w") as f:
    for word in sorted(set(sum(topic_words, []) + common)):
        f.write(word + " " + " ".join("%.4f" % v for v in rng.randn(embedding_dim)) + "\n")

embeddings_index = {}
with open(glove_path) as f:
    for line in f:
        word, coefs = line.split(maxsplit=1)
        coefs = np.fromstring(coefs, "f", sep=" ")
        embeddings_index[word] = coefs
print("Found %s word vectors." % len(embeddings_index))

num_tokens = len(voc) + 2
hits = 0
misses = 0
embedding_matrix = np.zeros((num_tokens, embedding_dim))
for word, i in word_index.items():
    embedding_vector = embeddings_index.get(word)
    if embedding_vector is not None:
        embedding_matrix[i] = embedding_vector
        hits += 1
    else:
        misses += 1
print("Converted %d words (%d misses)" % (hits, misses))

from keras.layers import Embedding

embedding_layer = Embedding(
    num_tokens,
    embedding_dim,
    trainable=False,
)
embedding_layer.build((1,))
embedding_layer.set_weights([embedding_matrix])

"""
## Build the model
"""

int_sequences_input = keras.Input(shape=(None,), dtype="int64")
embedded_sequences = embedding_layer(int_sequences_input)
x = layers.Conv1D(16, 3, activation="relu")(embedded_sequences)
x = layers.MaxPooling1D(2)(x)
x = layers.Conv1D(16, 3, activation="relu")(x)
x = layers.GlobalMaxPooling1D()(x)
x = layers.Dense(16, activation="relu")(x)
x = layers.Dropout(0.5)(x)
preds = layers.Dense(len(class_names), activation="softmax")(x)
model = keras.Model(int_sequences_input, preds)
model.summary()

"""
## Train the model
"""

x_train = keras.ops.convert_to_numpy(vectorizer(np.array([[s] for s in train_samples])))
x_val = keras.ops.convert_to_numpy(vectorizer(np.array([[s] for s in val_samples])))

y_train = np.array(train_labels)
y_val = np.array(val_labels)

model.compile(loss="sparse_categorical_crossentropy", optimizer="rmsprop", metrics=["acc"])
model.fit(x_train, y_train, batch_size=16, epochs=2, validation_data=(x_val, y_val), verbose=2)

"""
## Export an end-to-end model
"""

# Only the TensorFlow backend has string tensors: elsewhere the strings are vectorized outside the model.
raw = np.array([["this message is about computer graphics and 3d modeling"]], dtype=object)
if keras.backend.backend() == "tensorflow":
    string_input = keras.Input(shape=(1,), dtype="string")
    x = vectorizer(string_input)
    preds = model(x)
    end_to_end_model = keras.Model(string_input, preds)
    probabilities = keras.ops.convert_to_numpy(end_to_end_model(tf.constant(raw.astype(str))))
else:
    probabilities = model.predict(keras.ops.convert_to_numpy(vectorizer(raw)), verbose=0)

print(class_names[np.argmax(probabilities[0])])
assert probabilities.shape == (1, 2)
