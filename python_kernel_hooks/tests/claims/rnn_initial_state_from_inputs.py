# GRU.get_initial_state(x) given the inputs tensor (Keras 2's signature, the TensorFlow
# text-generation tutorial's model): Keras 3 takes the batch size and fails on every backend.
import numpy as np, keras


class CharModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.embedding = keras.layers.Embedding(10, 4)
        self.gru = keras.layers.GRU(8, return_sequences=True, return_state=True)
        self.dense = keras.layers.Dense(10)

    def call(self, inputs, states=None):
        x = self.embedding(inputs)
        if states is None:
            states = self.gru.get_initial_state(x)
        x, states = self.gru(x, initial_state=states)
        return self.dense(x)


model = CharModel()
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(np.zeros((8, 5), "int32"), np.zeros((8, 5), "int32"), verbose=0)
