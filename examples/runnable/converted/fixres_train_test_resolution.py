"""FixRes: fixing the train-test resolution discrepancy: hand conversion to multi-backend Keras 3.

Train at a small resolution with random-resized-crop augmentation written with
tf.image.sample_distorted_bounding_box / tf.slice in tf.data, evaluate at a bigger resolution
(central crop), then fine-tune only the classifier and the BatchNormalization layers at the bigger
resolution. The model takes (None, None, 3) inputs and pools with a generalized-mean (GeM) layer
written with tf ops and a trainable exponent; the initial model is saved as a SavedModel directory
and reloaded before fine-tuning; early stopping on the first stage.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf  # tf.data only
import keras
from keras import layers, ops

batch_size = 16
auto = tf.data.AUTOTUNE
smaller_size = 24
bigger_size = 32
central_fraction = 0.875
num_classes = 4

rng = np.random.RandomState(1)
images = rng.uniform(0, 255, size=(80, 40, 40, 3)).astype("float32")
labels = rng.randint(0, num_classes, size=(80,))
for i, label in enumerate(labels):
    images[i, 10 * label : 10 * label + 10, :, :] += 80.0
images = np.clip(images, 0, 255)
train_dataset = tf.data.Dataset.from_tensor_slices((images[:64], labels[:64]))
val_dataset = tf.data.Dataset.from_tensor_slices((images[64:], labels[64:]))


def preprocess_initial(train, image_size):
    """Initial preprocessing function for training on smaller resolution."""

    def _pp(image, label, train):
        if train:
            channels = image.shape[-1]
            begin, size, _ = tf.image.sample_distorted_bounding_box(
                tf.shape(image),
                tf.zeros([0, 0, 4], tf.float32),
                area_range=(0.25, 1.0),
                min_object_covered=0,
                use_image_if_no_bounding_boxes=True,
            )
            image = tf.slice(image, begin, size)
            image.set_shape([None, None, channels])
            image = tf.image.resize(image, [image_size, image_size])
            image = tf.image.random_flip_left_right(image)
        else:
            image = tf.image.central_crop(image, central_fraction=central_fraction)
            image = tf.image.resize(image, [image_size, image_size])
        return image, label

    return _pp


def preprocess_finetune(image, label, train):
    """Preprocessing function for fine-tuning on a higher resolution."""
    image = tf.image.resize(image, [bigger_size, bigger_size])
    if train:
        image = tf.image.random_flip_left_right(image)
    return image, label


def make_dataset(dataset, train, image_size=smaller_size, fixres=True, num_parallel_calls=auto):
    if image_size not in [smaller_size, bigger_size]:
        raise ValueError(f"{image_size} resolution is not supported.")
    if fixres:
        preprocess_func = preprocess_finetune
    else:
        preprocess_func = preprocess_initial(train, image_size)
    if train:
        dataset = dataset.shuffle(batch_size * 10)
    return dataset.map(
        lambda x, y: preprocess_func(x, y, train), num_parallel_calls=num_parallel_calls
    ).batch(batch_size).prefetch(num_parallel_calls)


initial_train_dataset = make_dataset(train_dataset, train=True, image_size=smaller_size, fixres=False)
initial_val_dataset = make_dataset(val_dataset, train=False, image_size=smaller_size, fixres=False)
finetune_train_dataset = make_dataset(train_dataset, train=True, image_size=bigger_size)
finetune_val_dataset = make_dataset(val_dataset, train=False, image_size=bigger_size)
vanilla_val_dataset = make_dataset(val_dataset, train=False, image_size=bigger_size, fixres=False)


@keras.saving.register_keras_serializable()
class GeneralizedMeanPooling2D(layers.Layer):
    def __init__(self, p=3.0, epsilon=1e-6, **kwargs):
        super(GeneralizedMeanPooling2D, self).__init__(**kwargs)
        self.init_p = p
        self.epsilon = epsilon

    def build(self, input_shape):
        self.p = self.add_weight(
            name="p", shape=[1], initializer=keras.initializers.Constant(self.init_p), trainable=True
        )
        super(GeneralizedMeanPooling2D, self).build(input_shape)

    def call(self, inputs):
        x = ops.power(ops.maximum(inputs, self.epsilon), self.p)
        x = ops.mean(x, axis=[1, 2])
        return ops.power(x, 1.0 / self.p)

    def get_config(self):
        config = super(GeneralizedMeanPooling2D, self).get_config()
        config.update({"p": self.init_p, "epsilon": self.epsilon})
        return config


def get_training_model(num_classes=num_classes):
    inputs = layers.Input((None, None, 3))
    backbone = keras.Sequential(
        [
            layers.Conv2D(16, 3, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
        ],
        name="backbone",
    )
    backbone.trainable = True
    x = layers.Rescaling(scale=1.0 / 127.5, offset=-1)(inputs)
    x = backbone(x)
    x = GeneralizedMeanPooling2D(name="gem")(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def train_and_evaluate(model, train_ds, val_ds, epochs, learning_rate=1e-3, use_early_stopping=False):
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    if use_early_stopping:
        es_callback = keras.callbacks.EarlyStopping(patience=5)
        callbacks = [es_callback]
    else:
        callbacks = None
    model.fit(train_ds, validation_data=val_ds, epochs=epochs, callbacks=callbacks, verbose=2)
    _, accuracy = model.evaluate(val_ds, verbose=0)
    print(f"Top-1 accuracy on the validation set: {accuracy*100:.2f}%.")
    return model


model = get_training_model()
model = train_and_evaluate(model, initial_train_dataset, initial_val_dataset, epochs=2, use_early_stopping=True)
_, vanilla_accuracy = model.evaluate(vanilla_val_dataset, verbose=0)
print(f"Top-1 accuracy at the bigger resolution before fine-tuning: {vanilla_accuracy*100:.2f}%.")

saved_dir = os.path.join(tempfile.mkdtemp(), "initial_model.keras")
model.save(saved_dir)

# Fine-tuning: only the classifier and the BatchNormalization layers learn.
model = keras.models.load_model(saved_dir)
for layer in model.get_layer("backbone").layers:
    if not isinstance(layer, layers.BatchNormalization):
        layer.trainable = False
model.get_layer("gem").trainable = False
model = train_and_evaluate(model, finetune_train_dataset, finetune_val_dataset, epochs=1, learning_rate=1e-4)
print("trainable weights after freezing:", [w.path for w in model.trainable_weights])
assert len(model.trainable_weights) == 6
