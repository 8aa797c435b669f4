"""Transfer-learning input pipeline as Keras 2 tutorials wrote it: the backbone's `preprocess_input` and a
small functional augmentation model applied in tf.data's map() (through a helper), and a frozen feature
extractor trained on top."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.applications.mobilenet_v2 import preprocess_input

AUTOTUNE = tf.data.AUTOTUNE
images = np.random.rand(48, 32, 32, 3).astype("float32") * 255.0
labels = np.random.randint(0, 3, size=(48,))

aug_in = keras.Input(shape=(32, 32, 3))
aug_out = layers.RandomFlip("horizontal")(aug_in)
aug_out = layers.RandomTranslation(0.1, 0.1)(aug_out)
augmenter = keras.Model(aug_in, aug_out, name="augmenter")


def augment(image, label):
    image = augmenter(image, training=True)
    return preprocess_input(image), label


train_ds = tf.data.Dataset.from_tensor_slices((images[:32], labels[:32])).shuffle(32).batch(8).map(augment, num_parallel_calls=AUTOTUNE)
val_ds = tf.data.Dataset.from_tensor_slices((images[32:], labels[32:])).batch(8).map(lambda x, y: (preprocess_input(x), y))

base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None, alpha=0.35)
base.trainable = False
inputs = keras.Input(shape=(32, 32, 3))
x = base(inputs, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(3)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
history = model.fit(train_ds, validation_data=val_ds, epochs=1, verbose=0)
print("val accuracy", history.history["val_accuracy"][-1])
