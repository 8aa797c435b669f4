"""Hand conversion: the augmentation is a `keras.layers.Pipeline` of preprocessing layers (which run in tf.data
on every backend), and `preprocess_input` moves into the model, where it computes with the backend's tensors."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers
from keras.applications.mobilenet_v2 import preprocess_input

AUTOTUNE = tf.data.AUTOTUNE
images = np.random.rand(48, 32, 32, 3).astype("float32") * 255.0
labels = np.random.randint(0, 3, size=(48,))

augmenter = layers.Pipeline([layers.RandomFlip("horizontal"), layers.RandomTranslation(0.1, 0.1)], name="augmenter")


def augment(image, label):
    image = augmenter(image, training=True)
    return image, label


train_ds = tf.data.Dataset.from_tensor_slices((images[:32], labels[:32])).shuffle(32).batch(8).map(augment, num_parallel_calls=AUTOTUNE)
val_ds = tf.data.Dataset.from_tensor_slices((images[32:], labels[32:])).batch(8)

base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None, alpha=0.35)
base.trainable = False
inputs = keras.Input(shape=(32, 32, 3))
x = preprocess_input(inputs)
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(3)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
history = model.fit(train_ds, validation_data=val_ds, epochs=1, verbose=0)
print("val accuracy", history.history["val_accuracy"][-1])
