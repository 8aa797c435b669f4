"""Image augmentation in the input pipeline, as Keras 2 tutorials did it: a Sequential of preprocessing
layers applied in tf.data's map(), so that the model itself stays augmentation-free."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

AUTOTUNE = tf.data.AUTOTUNE
images = np.random.rand(64, 24, 24, 3).astype("float32") * 255.0
labels = np.random.randint(0, 4, size=(64,))

data_augmentation = keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomZoom(0.1),
])
rescale = layers.Rescaling(1.0 / 255)


def prepare(ds, augment=False):
    ds = ds.map(lambda x, y: (rescale(x), y), num_parallel_calls=AUTOTUNE)
    if augment:
        ds = ds.map(lambda x, y: (data_augmentation(x, training=True), y), num_parallel_calls=AUTOTUNE)
    return ds.prefetch(AUTOTUNE)


train_ds = prepare(tf.data.Dataset.from_tensor_slices((images[:48], labels[:48])).shuffle(48).batch(16), augment=True)
val_ds = prepare(tf.data.Dataset.from_tensor_slices((images[48:], labels[48:])).batch(16))

model = keras.Sequential([
    keras.Input(shape=(24, 24, 3)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(4),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
history = model.fit(train_ds, validation_data=val_ds, epochs=2, verbose=0)
print("val accuracy", history.history["val_accuracy"][-1])
