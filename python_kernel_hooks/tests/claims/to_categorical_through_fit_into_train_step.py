# Keras 3's to_categorical returns float64; given to tf.data with float32 images and through fit()
# into a train_step that concatenates the labels with float32 noise (keras.io conditional GAN),
# TensorFlow gets the dataset's float64 tensors as they are: "Tensors in list passed to 'values' of
# 'ConcatV2' Op have types [float32, float64]".
import numpy as np
import tensorflow as tf
import keras

images = np.random.rand(16, 4).astype("float32")
labels = keras.utils.to_categorical(np.random.randint(0, 3, size=(16,)), 3)
dataset = tf.data.Dataset.from_tensor_slices((images, labels))
dataset = dataset.batch(8)


class Conditioned(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)

    def call(self, inputs):
        return self.dense(inputs)

    def train_step(self, data):
        real, one_hot = data
        noise = tf.random.normal((tf.shape(real)[0], 2))
        with tf.GradientTape() as tape:
            out = self(tf.concat([real, noise, one_hot], axis=1))
            loss = tf.reduce_mean(out ** 2)
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return {"loss": loss}


model = Conditioned()
model.compile(optimizer="adam")
model.fit(dataset, epochs=1, verbose=0)
print("trained")
