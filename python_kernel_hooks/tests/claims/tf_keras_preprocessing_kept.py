# The Keras 2 preprocessing modules through tf.keras: TensorFlow's copy of Keras 3 keeps
# ImageDataGenerator, Tokenizer and pad_sequences (NumPy code), so this runs on every backend.
import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.text import Tokenizer

tokenizer = Tokenizer(num_words=20)
tokenizer.fit_on_texts(["a good movie", "a bad movie"])
print(tf.keras.preprocessing.sequence.pad_sequences(tokenizer.texts_to_sequences(["good movie"]), maxlen=4))
augment = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255.0, horizontal_flip=True)
images, labels = next(augment.flow(np.ones((4, 8, 8, 3)), np.ones(4), batch_size=2))
print(images.shape)
