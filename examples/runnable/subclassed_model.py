"""A subclassed model with a residual block and an explicit call()."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class ResidualBlock(layers.Layer):
    def __init__(self, units, **kwargs):
        super(ResidualBlock, self).__init__(**kwargs)
        self.dense1 = layers.Dense(units, activation="relu")
        self.dense2 = layers.Dense(units)
        self.norm = layers.LayerNormalization()

    def call(self, inputs, training=False):
        x = self.dense1(inputs)
        x = self.dense2(x)
        return tf.nn.relu(self.norm(x + inputs, training=training))


class Classifier(keras.Model):
    def __init__(self, num_classes=3, hidden=16):
        super(Classifier, self).__init__()
        self.project = layers.Dense(hidden)
        self.blocks = [ResidualBlock(hidden) for _ in range(2)]
        self.dropout = layers.Dropout(0.1)
        self.head = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = self.project(inputs)
        for block in self.blocks:
            x = block(x, training=training)
        x = self.dropout(x, training=training)
        return tf.nn.softmax(self.head(x))


model = Classifier()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x = np.random.rand(90, 7).astype("float32")
y = np.random.randint(0, 3, size=(90,))
model.fit(x, y, epochs=2, batch_size=30, verbose=0)
probs = model(tf.constant(x[:5]))
print(tf.argmax(probs, axis=-1).numpy())
model.summary()
