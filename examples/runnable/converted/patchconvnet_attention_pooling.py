"""Hand conversion to multi-backend Keras 3: the preprocessing / augmentation Sequentials become
keras.layers.Pipeline (a Sequential cannot run inside tf.data on JAX / PyTorch); the "gelu" activation; the class
token is a weight from self.add_weight in build() (a tf.Variable is neither tracked nor usable on JAX / PyTorch);
keras.ops for tf.shape / tf.tile / tf.reduce_mean / tf.reshape; the WarmUpCosine schedule in keras.ops with
ops.where for the tf.cond; keras.optimizers.AdamW.

keras.io "Augmenting convnets with aggregated attention" (PatchConvNet), tf.keras era, shrunk to random 16x16
images: tf.data with a keras.Sequential augmentation model applied in the map; a convolutional stem, a
SqueezeExcite layer (GlobalAveragePooling2D(keepdims=True), tf.nn.gelu Dense, multiply), a trunk of residual
convolution blocks with a layer-scale weight from add_weight, an AttentionPooling layer whose learnable class
token is a tf.Variable created in build() and tiled with tf.tile(self.cls, [tf.shape(x)[0], 1, 1]), returning the
logits and the attention scores, with a get_config; the patches are averaged with tf.reduce_mean for a residual
head; a WarmUpCosine(LearningRateSchedule) with tf.constant(np.pi), tf.cast, tf.cos, tf.cond and tf.where; AdamW
from optimizers.experimental; a visualisation model over get_layer("attention_pooling").output."""
import math

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

IMAGE_SIZE = 16
NUM_CLASSES = 10
BATCH_SIZE = 16
EPOCHS = 2
DIMENSIONS = 16
NUM_TRUNK = 2

rng = np.random.default_rng(2027)
x_train = rng.integers(0, 256, size=(64, IMAGE_SIZE, IMAGE_SIZE, 3)).astype("uint8")
y_train = rng.integers(0, NUM_CLASSES, size=(64,))
x_val = rng.integers(0, 256, size=(32, IMAGE_SIZE, IMAGE_SIZE, 3)).astype("uint8")
y_val = rng.integers(0, NUM_CLASSES, size=(32,))


def get_preprocessing():
    model = keras.layers.Pipeline(
        [layers.Rescaling(1 / 255.0), layers.Resizing(IMAGE_SIZE, IMAGE_SIZE)],
        name="preprocess",
    )
    return model


def get_train_augmentation_model():
    model = keras.layers.Pipeline(
        [
            layers.Rescaling(1 / 255.0),
            layers.Resizing(IMAGE_SIZE + 4, IMAGE_SIZE + 4),
            layers.RandomCrop(IMAGE_SIZE, IMAGE_SIZE),
            layers.RandomFlip("horizontal"),
        ],
        name="train_data_augmentation",
    )
    return model


def prepare_data(images, labels, augmentation_model, training=True):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    if training:
        dataset = dataset.shuffle(64)
    dataset = dataset.batch(BATCH_SIZE).map(
        lambda image, label: (augmentation_model(image), label), num_parallel_calls=tf.data.AUTOTUNE
    )
    return dataset.prefetch(tf.data.AUTOTUNE)


train_ds = prepare_data(x_train, y_train, get_train_augmentation_model())
val_ds = prepare_data(x_val, y_val, get_preprocessing(), training=False)


def build_convolutional_stem(dimensions):
    config = {"kernel_size": (3, 3), "strides": (2, 2), "activation": "gelu", "padding": "same"}
    convolutional_stem = keras.Sequential(
        [
            layers.Conv2D(filters=dimensions // 2, **config),
            layers.Conv2D(filters=dimensions, **config),
        ],
        name="convolutional_stem",
    )
    return convolutional_stem


class SqueezeExcite(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.gap = layers.GlobalAveragePooling2D(keepdims=True)
        self.dense1 = layers.Dense(units=input_shape[-1] // 4, activation="gelu")
        self.dense2 = layers.Dense(units=input_shape[-1], activation="sigmoid")

    def call(self, x):
        shortcut = x
        x = self.gap(x)
        x = self.dense2(self.dense1(x))
        return shortcut * x


class Trunk(layers.Layer):
    def __init__(self, depth, dimensions, ratio, init_values=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.depth = depth
        self.dimensions = dimensions
        self.ratio = ratio
        self.init_values = init_values
        self.layer_norm = layers.LayerNormalization(epsilon=1e-6)
        self.conv_1 = layers.Conv2D(filters=dimensions * ratio, kernel_size=1, activation="gelu")
        self.depthwise = layers.DepthwiseConv2D(kernel_size=3, padding="same", activation="gelu")
        self.squeeze_excite = SqueezeExcite()
        self.conv_2 = layers.Conv2D(filters=dimensions, kernel_size=1)

    def build(self, input_shape):
        self.gamma = self.add_weight(
            name="gamma", shape=(self.dimensions,),
            initializer=keras.initializers.Constant(self.init_values), trainable=True,
        )

    def call(self, x):
        shortcut = x
        x = self.layer_norm(x)
        x = self.conv_1(x)
        x = self.depthwise(x)
        x = self.squeeze_excite(x)
        x = self.conv_2(x)
        return shortcut + self.gamma * x

    def get_config(self):
        config = super().get_config()
        config.update({"depth": self.depth, "dimensions": self.dimensions, "ratio": self.ratio,
                       "init_values": self.init_values})
        return config


class AttentionPooling(layers.Layer):
    def __init__(self, dimensions, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.dimensions = dimensions
        self.num_classes = num_classes
        self.attention = layers.MultiHeadAttention(num_heads=1, key_dim=dimensions, dropout=0.2)
        self.layer_norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layer_norm2 = layers.LayerNormalization(epsilon=1e-6)
        self.layer_norm3 = layers.LayerNormalization(epsilon=1e-6)
        self.mlp = keras.Sequential(
            [
                layers.Dense(units=dimensions, activation="gelu"),
                layers.Dropout(0.2),
                layers.Dense(units=dimensions, activation="gelu"),
            ]
        )
        self.dense = layers.Dense(units=num_classes)
        self.flatten = layers.Flatten()

    def build(self, input_shape):
        # The learnable class token.
        self.cls = self.add_weight(name="cls", shape=(1, 1, self.dimensions), initializer="zeros")

    def call(self, x):
        batch_size = ops.shape(x)[0]
        class_token = ops.tile(self.cls, [batch_size, 1, 1])
        class_token = self.layer_norm1(class_token)
        attention_output, viz_weights = self.attention(query=class_token, value=x, return_attention_scores=True)
        class_token = class_token + attention_output
        class_token = self.layer_norm2(class_token)
        class_token = class_token + self.mlp(class_token)
        class_token = self.layer_norm3(class_token)
        class_token = self.flatten(class_token)
        return self.dense(class_token), viz_weights

    def get_config(self):
        config = super().get_config()
        config.update({"dimensions": self.dimensions, "num_classes": self.num_classes})
        return config


class WarmUpCosine(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, lr_start, lr_max, warmup_steps, total_steps):
        super().__init__()
        self.lr_start = lr_start
        self.lr_max = lr_max
        self.warmup_steps = warmup_steps
        self.total_steps = total_steps
        self.pi = math.pi

    def __call__(self, step):
        if self.total_steps < self.warmup_steps:
            raise ValueError("Total number of steps must be larger or equal to warmup steps.")
        step = ops.cast(step, "float32")
        cos_annealed_lr = ops.cos(self.pi * (step - self.warmup_steps) / float(self.total_steps - self.warmup_steps))
        learning_rate = 0.5 * self.lr_max * (1 + cos_annealed_lr)
        if self.warmup_steps > 0:
            slope = (self.lr_max - self.lr_start) / self.warmup_steps
            warmup_rate = slope * step + self.lr_start
            learning_rate = ops.where(step < self.warmup_steps, warmup_rate, learning_rate)
        return ops.where(step > self.total_steps, 0.0, learning_rate)

    def get_config(self):
        return {"lr_start": self.lr_start, "lr_max": self.lr_max, "warmup_steps": self.warmup_steps,
                "total_steps": self.total_steps}


def get_model():
    inputs = layers.Input((IMAGE_SIZE, IMAGE_SIZE, 3))
    x = build_convolutional_stem(DIMENSIONS)(inputs)
    for depth in range(NUM_TRUNK):
        x = Trunk(depth=depth, dimensions=DIMENSIONS, ratio=3)(x)
    x = SqueezeExcite()(x)
    x = layers.Reshape((-1, DIMENSIONS))(x)
    patch_mean = ops.mean(x, axis=1)
    logits, _ = AttentionPooling(DIMENSIONS, NUM_CLASSES, name="attention_pooling")(x)
    logits = logits + layers.Dense(NUM_CLASSES, name="mean_head")(patch_mean)
    return keras.Model(inputs, logits, name="patchconvnet")


total_steps = int((len(x_train) / BATCH_SIZE) * EPOCHS)
warmup_steps = int(total_steps * 0.25)
scheduled_lrs = WarmUpCosine(lr_start=1e-5, lr_max=1e-3, warmup_steps=warmup_steps, total_steps=total_steps)
print("lr at steps 0, 2, 8:", [float(scheduled_lrs(s)) for s in (0, 2, 8)])

model = get_model()
model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.AdamW(learning_rate=scheduled_lrs, weight_decay=1e-4),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
             keras.metrics.SparseTopKCategoricalAccuracy(5, name="top-5-accuracy")],
)
history = model.fit(train_ds, epochs=EPOCHS, validation_data=val_ds)
loss, acc, top5 = model.evaluate(val_ds)
print(f"Loss: {loss:0.2f}, Top 1: {acc * 100:0.2f}%")

# Visualise the attention of the class token over the patches.
test_images = next(iter(val_ds))[0]
viz_model = keras.Model(model.input, model.get_layer("attention_pooling").output)
_, viz_weights = viz_model.predict(test_images, verbose=0)
num_patches = (IMAGE_SIZE // 4) ** 2
attention_maps = ops.reshape(ops.mean(viz_weights, axis=1), (-1, IMAGE_SIZE // 4, IMAGE_SIZE // 4))
print("attention maps:", attention_maps.shape, float(ops.sum(attention_maps[0])))
assert viz_weights.shape[-1] == num_patches
