"""Transfer learning and fine-tuning of a pretrained backbone, trained in mixed precision.

In the style of the tf.keras transfer-learning guide and the mixed-precision guide: a small
pretrained backbone (trained here on a source task instead of downloaded, and kept small so that
float16 on a CPU stays fast) frozen and called with training=False to keep its
BatchNormalization layers in inference mode, a new float32 head, then the top of the backbone
unfrozen (BatchNormalization layers kept frozen) and recompiled with a low learning rate.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import mixed_precision

mixed_precision.set_global_policy("mixed_float16")
policy = mixed_precision.global_policy()
print("compute dtype:", policy.compute_dtype, "variable dtype:", policy.variable_dtype)

rng = np.random.RandomState(2)
images = rng.randint(0, 256, size=(64, 32, 32, 3)).astype("float32")
labels = rng.randint(0, 3, size=(64,))
train_ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(16).prefetch(tf.data.AUTOTUNE)

data_augmentation = keras.Sequential([
    layers.experimental.preprocessing.RandomFlip("horizontal"),
], name="augmentation")


def make_base_model():
    """A small convolutional backbone, pretrained below on a source task (stands in for an Application)."""
    inputs = keras.Input(shape=(32, 32, 3))
    x = layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False)(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.DepthwiseConv2D(3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU(6.0)(x)
    x = layers.Conv2D(16, 1, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    return keras.Model(inputs, x, name="base_model")


base_model = make_base_model()
source_model = keras.Sequential([base_model, layers.GlobalAveragePooling2D(), layers.Dense(5, dtype="float32")])
source_model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
source_model.fit(images / 127.5 - 1.0, rng.randint(0, 5, size=(64,)), batch_size=16, epochs=1, verbose=0)

base_model.trainable = False

inputs = keras.Input(shape=(32, 32, 3))
x = data_augmentation(inputs)
x = keras.applications.mobilenet_v2.preprocess_input(x)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
x = layers.Dense(3, name="logits")(x)
# The softmax runs in float32: float16 softmax outputs are not numerically stable.
outputs = layers.Activation("softmax", dtype="float32", name="predictions")(x)
model = keras.Model(inputs, outputs)
print("head output dtype:", outputs.dtype.name, "logits dtype:", model.get_layer("logits").output.dtype.name)

model.compile(
    optimizer=keras.optimizers.Adam(),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
print("trainable weights while frozen:", len(model.trainable_weights))
model.fit(train_ds, epochs=1, verbose=0)

# Fine-tuning: unfreeze the top of the backbone, keep BatchNormalization frozen.
base_model.trainable = True
for layer in base_model.layers[:-4]:
    layer.trainable = False
for layer in base_model.layers:
    if isinstance(layer, layers.BatchNormalization):
        layer.trainable = False
model.compile(
    optimizer=keras.optimizers.Adam(1e-5),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
print("trainable weights while fine-tuning:", len(model.trainable_weights))
history = model.fit(train_ds, epochs=1, verbose=0)
print("optimizer:", type(model.optimizer).__name__)
print("loss:", round(float(history.history["loss"][-1]), 3))
predictions = model.predict(images[:4], verbose=0)
print(predictions.dtype, predictions.shape)
