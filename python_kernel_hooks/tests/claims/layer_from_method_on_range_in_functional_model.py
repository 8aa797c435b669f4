# keras.io CCT's position embedding: the Embedding a tokenizer method returns is called on tf.range while
# the Functional model is built, its output added in place (`+=`). TF and JAX train (the output is a
# constant); PyTorch fails at the second step ("Trying to backward through the graph a second time").
import numpy as np, keras
import tensorflow as tf


class Tokenizer(keras.layers.Layer):
    def call(self, images):
        return images * 2.0

    def positional_embedding(self, length):
        embed_layer = keras.layers.Embedding(input_dim=length, output_dim=3)
        return embed_layer, length


inputs = keras.Input((5, 3))
tokenizer = Tokenizer()
encoded = tokenizer(inputs)
pos_embed, seq_length = tokenizer.positional_embedding(5)
positions = tf.range(start=0, limit=seq_length, delta=1)
encoded += pos_embed(positions)
model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.GlobalAveragePooling1D()(encoded)))
model.compile("sgd", "mse")
model.fit(np.ones((16, 5, 3), "float32"), np.ones((16, 1), "float32"), batch_size=4, verbose=0)
