"""Distilling Vision Transformers (DeiT), keras.io tf.keras era, hand-converted to multi-backend Keras 3.

Keras 3 conversion: `import keras` and keras.ops; the augmentation is a keras.layers.Pipeline of preprocessing
layers (a Sequential cannot run inside tf.data on JAX or PyTorch); StochasticDepth draws with keras.random and a
SeedGenerator; the class / distillation tokens and position embeddings are add_weight weights (a tf.Variable is
not tracked by Keras 3), the position embedding sized once for the model's number of tokens; the teacher is
saved and reloaded in the `.keras` format; keras.optimizers.AdamW; the DeiT model's train_step / test_step become
compute_loss() and compute_metrics() overrides (the student returns its two heads in training, their mean
otherwise), so fit() runs on every backend.
"""
from typing import List

import numpy as np
import tensorflow as tf  # tf.data only
import keras
from keras import layers, ops
import tempfile
import os

keras.utils.set_random_seed(42)

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

data_augmentation = keras.layers.Pipeline(
    [
        layers.RandomCrop(RESOLUTION, RESOLUTION),
        layers.RandomFlip("horizontal"),
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
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, x, training=True):
        if training:
            keep_prob = 1 - self.drop_prob
            shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
            random_tensor = keep_prob + keras.random.uniform(shape, 0, 1, seed=self.seed_generator)
            random_tensor = ops.floor(random_tensor)
            return (x / keep_prob) * random_tensor
        return x


def mlp(x, dropout_rate: float, hidden_units: List):
    for (idx, units) in enumerate(hidden_units):
        x = layers.Dense(units, activation="gelu" if idx == 0 else None)(x)
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
    def __init__(self, num_tokens=1, **kwargs):
        super().__init__(**kwargs)
        self.num_tokens = num_tokens
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
        init_shape = (1, NUM_PATCHES + num_tokens, PROJECTION_DIM)
        self.positional_embedding = self.add_weight(shape=init_shape, initializer="zeros", name="pos_embedding")
        dpr = [float(x) for x in np.linspace(0.0, DROP_PATH_RATE, NUM_LAYERS)]
        self.transformer_blocks = [
            transformer(drop_prob=dpr[i], name=f"transformer_block_{i}")
            for i in range(NUM_LAYERS)
        ]
        self.cls_token = self.add_weight(shape=(1, 1, PROJECTION_DIM), initializer="zeros", trainable=True, name="cls")
        self.dropout = layers.Dropout(DROPOUT_RATE)
        self.layer_norm = layers.LayerNormalization(epsilon=LAYER_NORM_EPS)
        self.head = layers.Dense(NUM_CLASSES, name="classification_head")

    def call(self, inputs, training=True):
        n = ops.shape(inputs)[0]
        projected_patches = self.projection(inputs)
        cls_token = ops.tile(self.cls_token, (n, 1, 1))
        cls_token = ops.cast(cls_token, projected_patches.dtype)
        projected_patches = ops.concatenate([cls_token, projected_patches], axis=1)
        encoded_patches = self.positional_embedding + projected_patches
        encoded_patches = self.dropout(encoded_patches)
        for transformer_module in self.transformer_blocks:
            encoded_patches = transformer_module(encoded_patches)
        representation = self.layer_norm(encoded_patches)
        encoded_patches = representation[:, 0]
        return self.head(encoded_patches)


class ViTDistilled(ViTClassifier):
    def __init__(self, regular_training=False, **kwargs):
        super().__init__(num_tokens=2, **kwargs)
        self.regular_training = regular_training
        self.dist_token = self.add_weight(shape=(1, 1, PROJECTION_DIM), initializer="zeros", name="dist_token")
        self.head = layers.Dense(NUM_CLASSES, name="classification_head")
        self.head_dist = layers.Dense(NUM_CLASSES, name="distillation_head")

    def call(self, inputs, training=False):
        n = ops.shape(inputs)[0]
        projected_patches = self.projection(inputs)
        cls_token = ops.tile(self.cls_token, (n, 1, 1))
        dist_token = ops.tile(self.dist_token, (n, 1, 1))
        cls_token = ops.cast(cls_token, projected_patches.dtype)
        dist_token = ops.cast(dist_token, projected_patches.dtype)
        projected_patches = ops.concatenate([cls_token, dist_token, projected_patches], axis=1)
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
out = deit_tiny(np.zeros((2, RESOLUTION, RESOLUTION, 3), "float32"))
print(out.shape)


class DeiT(keras.Model):
    def __init__(self, student, teacher, **kwargs):
        super().__init__(**kwargs)
        self.student = student
        self.teacher = teacher
        # train_step only applied gradients to the student.
        self.teacher.trainable = False
        self.student_loss_tracker = keras.metrics.Mean(name="student_loss")
        self.dist_loss_tracker = keras.metrics.Mean(name="distillation_loss")

    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn

    def call(self, inputs, training=False):
        return self.student(inputs / 255.0, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if isinstance(y_pred, (tuple, list)):
            # Training: the class and distillation heads.
            cls_predictions, dist_predictions = y_pred
            teacher_predictions = ops.softmax(self.teacher(x, training=False), -1)
            teacher_predicted_labels = ops.argmax(teacher_predictions, -1)
            student_loss = self.student_loss_fn(y, cls_predictions)
            distillation_loss = self.distillation_loss_fn(teacher_predicted_labels, dist_predictions)
            self.dist_loss_tracker.update_state(distillation_loss)
            self.student_loss_tracker.update_state(student_loss)
            return (student_loss + distillation_loss) / 2
        student_loss = self.student_loss_fn(y, y_pred)
        self.student_loss_tracker.update_state(student_loss)
        return student_loss

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if isinstance(y_pred, (tuple, list)):
            y_pred = (y_pred[0] + y_pred[1]) / 2
        return super().compute_metrics(x, y, y_pred, sample_weight)


# The keras.io example downloaded a BiT teacher; train a small CNN teacher and round-trip it
# through the .keras format.
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
teacher_model.save(os.path.join(workdir, "bit_teacher_flowers.keras"))
teacher = keras.models.load_model(os.path.join(workdir, "bit_teacher_flowers.keras"))

deit_tiny = ViTDistilled()
deit_distiller = DeiT(student=deit_tiny, teacher=teacher)

lr_scaled = (BASE_LR / 512) * BATCH_SIZE
deit_distiller.compile(
    optimizer=keras.optimizers.AdamW(
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
