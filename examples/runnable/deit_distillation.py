"""Distilling Vision Transformers (DeiT), as the keras.io example was written for tf.keras.

A ViT student with a class token and a distillation token (tf.Variable attributes tiled with
tf.tile), stochastic depth with tf.random.uniform, a DeiT keras.Model with its own compile(),
train_step and test_step distilling from a CNN teacher saved as a SavedModel and reloaded,
`layers.experimental.preprocessing` augmentation in a tf.data map. Synthetic images.
"""
from typing import List

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
import tempfile
import os

tf.keras.utils.set_random_seed(42)

# Model
MODEL_TYPE = "deit_distilled_tiny_patch16_224"
RESOLUTION = 32
PATCH_SIZE = 8
NUM_PATCHES = (RESOLUTION // PATCH_SIZE) ** 2
LAYER_NORM_EPS = 1e-6
PROJECTION_DIM = 32
NUM_HEADS = 2
NUM_LAYERS = 2
MLP_UNITS = [PROJECTION_DIM * 4, PROJECTION_DIM]
DROPOUT_RATE = 0.0
DROP_PATH_RATE = 0.1

# Training
NUM_EPOCHS = 1
BASE_LR = 0.0005
WEIGHT_DECAY = 0.0001

# Data
BATCH_SIZE = 16
AUTO = tf.data.AUTOTUNE
NUM_CLASSES = 5

rng = np.random.default_rng(0)
images = rng.uniform(0, 255, size=(96, 40, 40, 3)).astype("float32")
labels = rng.integers(0, NUM_CLASSES, size=(96,))

data_augmentation = keras.Sequential(
    [
        layers.experimental.preprocessing.RandomCrop(RESOLUTION, RESOLUTION),
        layers.experimental.preprocessing.RandomFlip("horizontal"),
    ],
    name="data_augmentation",
)


def preprocess_dataset(is_training=True):
    def _pp(image, label):
        if is_training:
            image = data_augmentation(image, training=True)
        else:
            image = tf.image.resize(image, (RESOLUTION, RESOLUTION))
        label = tf.one_hot(label, depth=NUM_CLASSES)
        return image, label

    return _pp


def prepare_dataset(x, y, is_training=True):
    dataset = tf.data.Dataset.from_tensor_slices((x, y))
    if is_training:
        dataset = dataset.shuffle(BATCH_SIZE * 10)
    dataset = dataset.batch(BATCH_SIZE)
    dataset = dataset.map(preprocess_dataset(is_training), num_parallel_calls=AUTO)
    return dataset.prefetch(AUTO)


train_dataset = prepare_dataset(images[:64], labels[:64], is_training=True)
validation_dataset = prepare_dataset(images[64:], labels[64:], is_training=False)


class StochasticDepth(layers.Layer):
    def __init__(self, drop_prop, **kwargs):
        super().__init__(**kwargs)
        self.drop_prob = drop_prop

    def call(self, x, training=True):
        if training:
            keep_prob = 1 - self.drop_prob
            shape = (tf.shape(x)[0],) + (1,) * (len(tf.shape(x)) - 1)
            random_tensor = keep_prob + tf.random.uniform(shape, 0, 1)
            random_tensor = tf.floor(random_tensor)
            return (x / keep_prob) * random_tensor
        return x


def mlp(x, dropout_rate: float, hidden_units: List):
    for (idx, units) in enumerate(hidden_units):
        x = layers.Dense(units, activation=tf.nn.gelu if idx == 0 else None)(x)
        x = layers.Dropout(dropout_rate)(x)
    return x


def transformer(drop_prob: float, name: str) -> keras.Model:
    num_patches = NUM_PATCHES + 2 if "distilled" in MODEL_TYPE else NUM_PATCHES + 1
    encoded_patches = layers.Input((num_patches, PROJECTION_DIM))
    x1 = layers.LayerNormalization(epsilon=LAYER_NORM_EPS)(encoded_patches)
    attention_output = layers.MultiHeadAttention(
        num_heads=NUM_HEADS, key_dim=PROJECTION_DIM, dropout=DROPOUT_RATE
    )(x1, x1)
    attention_output = (
        StochasticDepth(drop_prob)(attention_output) if drop_prob else attention_output
    )
    x2 = layers.Add()([attention_output, encoded_patches])
    x3 = layers.LayerNormalization(epsilon=LAYER_NORM_EPS)(x2)
    x4 = mlp(x3, hidden_units=MLP_UNITS, dropout_rate=DROPOUT_RATE)
    x4 = StochasticDepth(drop_prob)(x4) if drop_prob else x4
    outputs = layers.Add()([x2, x4])
    return keras.Model(encoded_patches, outputs, name=name)


class ViTClassifier(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.projection = keras.Sequential(
            [
                layers.Conv2D(
                    filters=PROJECTION_DIM,
                    kernel_size=(PATCH_SIZE, PATCH_SIZE),
                    strides=(PATCH_SIZE, PATCH_SIZE),
                    padding="VALID",
                    name="conv_projection",
                ),
                layers.Reshape(
                    target_shape=(NUM_PATCHES, PROJECTION_DIM), name="flatten_projection"
                ),
            ],
            name="projection",
        )
        init_shape = (1, NUM_PATCHES + 1, PROJECTION_DIM)
        self.positional_embedding = tf.Variable(tf.zeros(init_shape), name="pos_embedding")
        dpr = [x for x in tf.linspace(0.0, DROP_PATH_RATE, NUM_LAYERS)]
        self.transformer_blocks = [
            transformer(drop_prob=dpr[i], name=f"transformer_block_{i}")
            for i in range(NUM_LAYERS)
        ]
        initial_value = tf.zeros((1, 1, PROJECTION_DIM))
        self.cls_token = tf.Variable(initial_value=initial_value, trainable=True, name="cls")
        self.dropout = layers.Dropout(DROPOUT_RATE)
        self.layer_norm = layers.LayerNormalization(epsilon=LAYER_NORM_EPS)
        self.head = layers.Dense(NUM_CLASSES, name="classification_head")

    def call(self, inputs, training=True):
        n = tf.shape(inputs)[0]
        projected_patches = self.projection(inputs)
        cls_token = tf.tile(self.cls_token, (n, 1, 1))
        cls_token = tf.cast(cls_token, projected_patches.dtype)
        projected_patches = tf.concat([cls_token, projected_patches], axis=1)
        encoded_patches = self.positional_embedding + projected_patches
        encoded_patches = self.dropout(encoded_patches)
        for transformer_module in self.transformer_blocks:
            encoded_patches = transformer_module(encoded_patches)
        representation = self.layer_norm(encoded_patches)
        encoded_patches = representation[:, 0]
        return self.head(encoded_patches)


class ViTDistilled(ViTClassifier):
    def __init__(self, regular_training=False, **kwargs):
        super().__init__(**kwargs)
        self.num_tokens = 2
        self.regular_training = regular_training
        init_value = tf.zeros((1, 1, PROJECTION_DIM))
        self.dist_token = tf.Variable(init_value, name="dist_token")
        self.positional_embedding = tf.Variable(
            tf.zeros((1, NUM_PATCHES + self.num_tokens, PROJECTION_DIM)), name="pos_embedding"
        )
        self.head = layers.Dense(NUM_CLASSES, name="classification_head")
        self.head_dist = layers.Dense(NUM_CLASSES, name="distillation_head")

    def call(self, inputs, training=False):
        n = tf.shape(inputs)[0]
        projected_patches = self.projection(inputs)
        cls_token = tf.tile(self.cls_token, (n, 1, 1))
        dist_token = tf.tile(self.dist_token, (n, 1, 1))
        cls_token = tf.cast(cls_token, projected_patches.dtype)
        dist_token = tf.cast(dist_token, projected_patches.dtype)
        projected_patches = tf.concat([cls_token, dist_token, projected_patches], axis=1)
        encoded_patches = self.positional_embedding + projected_patches
        encoded_patches = self.dropout(encoded_patches)
        for transformer_module in self.transformer_blocks:
            encoded_patches = transformer_module(encoded_patches)
        representation = self.layer_norm(encoded_patches)
        x, x_dist = (
            self.head(representation[:, 0]),
            self.head_dist(representation[:, 1]),
        )
        if not training or self.regular_training:
            return (x + x_dist) / 2
        elif training:
            return x, x_dist


deit_tiny = ViTDistilled()
out = deit_tiny(tf.zeros((2, RESOLUTION, RESOLUTION, 3)))
print(out.shape)


class DeiT(keras.Model):
    def __init__(self, student, teacher, **kwargs):
        super().__init__(**kwargs)
        self.student = student
        self.teacher = teacher
        self.student_loss_tracker = keras.metrics.Mean(name="student_loss")
        self.dist_loss_tracker = keras.metrics.Mean(name="distillation_loss")

    @property
    def metrics(self):
        metrics = super().metrics
        metrics.append(self.student_loss_tracker)
        metrics.append(self.dist_loss_tracker)
        return metrics

    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn

    def train_step(self, data):
        x, y = data
        teacher_predictions = tf.nn.softmax(self.teacher(x, training=False), -1)
        teacher_predicted_labels = tf.argmax(teacher_predictions, -1)
        with tf.GradientTape() as tape:
            cls_predictions, dist_predictions = self.student(x / 255.0, training=True)
            student_loss = self.student_loss_fn(y, cls_predictions)
            distillation_loss = self.distillation_loss_fn(
                teacher_predicted_labels, dist_predictions
            )
            loss = (student_loss + distillation_loss) / 2
        trainable_vars = self.student.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        student_predictions = (cls_predictions + dist_predictions) / 2
        self.compiled_metrics.update_state(y, student_predictions)
        self.dist_loss_tracker.update_state(distillation_loss)
        self.student_loss_tracker.update_state(student_loss)
        results = {m.name: m.result() for m in self.metrics}
        return results

    def test_step(self, data):
        x, y = data
        y_prediction = self.student(x / 255.0, training=False)
        student_loss = self.student_loss_fn(y, y_prediction)
        self.compiled_metrics.update_state(y, y_prediction)
        self.student_loss_tracker.update_state(student_loss)
        results = {m.name: m.result() for m in self.metrics}
        return results

    def call(self, inputs):
        return self.student(inputs / 255.0, training=False)


# The keras.io example downloaded a BiT teacher saved as a SavedModel; train a small CNN
# teacher and round-trip it through the SavedModel format the same way.
workdir = tempfile.mkdtemp()
teacher_model = keras.Sequential(
    [
        keras.Input((RESOLUTION, RESOLUTION, 3)),
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(8, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(NUM_CLASSES),
    ],
    name="bit_teacher",
)
teacher_model.compile(
    optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True)
)
teacher_model.fit(train_dataset, epochs=1, verbose=0)
teacher_model.save(os.path.join(workdir, "bit_teacher_flowers"))
teacher = keras.models.load_model(os.path.join(workdir, "bit_teacher_flowers"))

deit_tiny = ViTDistilled()
deit_distiller = DeiT(student=deit_tiny, teacher=teacher)

lr_scaled = (BASE_LR / 512) * BATCH_SIZE
deit_distiller.compile(
    optimizer=keras.optimizers.experimental.AdamW(
        weight_decay=WEIGHT_DECAY, learning_rate=lr_scaled
    ),
    metrics=["accuracy"],
    student_loss_fn=keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
    distillation_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
history = deit_distiller.fit(
    train_dataset, validation_data=validation_dataset, epochs=NUM_EPOCHS, verbose=2
)
print({k: float(v[-1]) for k, v in history.history.items()})
results = deit_distiller.evaluate(validation_dataset, verbose=0)
print("evaluate:", results)
preds = deit_distiller.predict(validation_dataset, verbose=0)
assert preds.shape == (32, NUM_CLASSES)
