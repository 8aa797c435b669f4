"""PointNet part segmentation (in the style of the keras.io point cloud segmentation example, TF 2
era): conv_block / mlp_block helpers with BatchNormalization(momentum=0.0); a T-Net whose
OrthogonalRegularizer (tf.eye, tf.reshape, tf.tensordot, tf.reduce_sum, tf.square, get_config) is
the activity_regularizer of a Dense with a Constant(np.eye) bias; layers.Dot(axes=(2, 1)); the
global feature tiled to every point with tf.tile on a KerasTensor and concatenated; per-point
softmax; a PiecewiseConstantDecay schedule; ModelCheckpoint(save_weights_only=True) to a TF
checkpoint prefix restored with load_weights; predictions read with tf.math.argmax(...).numpy().

Hand conversion to multi-backend Keras 3: keras.ops in the OrthogonalRegularizer (ops.eye,
ops.reshape, ops.tensordot, ops.sum, ops.square) and ops.tile for the global feature on the
KerasTensor; the weights-only checkpoint is a .weights.h5 file; predictions are read with
np.argmax; the tf.data input pipeline stays (Keras 3 reads tf.data on every backend)."""
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

NUM_SAMPLE_POINTS = 32
num_classes = 3
rng = np.random.default_rng(5)
point_clouds = rng.normal(size=(48, NUM_SAMPLE_POINTS, 3)).astype("float32")
label_ids = (np.sign(point_clouds[..., 0]) + 1).astype("int64")  # 0, 1 or 2 per point
labels = keras.utils.to_categorical(label_ids, num_classes=num_classes)

split_index = 36
train_ds = tf.data.Dataset.from_tensor_slices((point_clouds[:split_index], labels[:split_index])).shuffle(64).batch(8)
val_ds = tf.data.Dataset.from_tensor_slices((point_clouds[split_index:], labels[split_index:])).batch(8)


def conv_block(x: tf.Tensor, filters: int, name: str) -> tf.Tensor:
    x = layers.Conv1D(filters, kernel_size=1, padding="valid", name=f"{name}_conv")(x)
    x = layers.BatchNormalization(momentum=0.0, name=f"{name}_batch_norm")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def mlp_block(x: tf.Tensor, filters: int, name: str) -> tf.Tensor:
    x = layers.Dense(filters, name=f"{name}_dense")(x)
    x = layers.BatchNormalization(momentum=0.0, name=f"{name}_batch_norm")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


class OrthogonalRegularizer(keras.regularizers.Regularizer):
    """Reference: https://keras.io/examples/vision/pointnet/#build-a-model"""

    def __init__(self, num_features, l2reg=0.001):
        self.num_features = num_features
        self.l2reg = l2reg
        self.identity = ops.eye(num_features)

    def __call__(self, x):
        x = ops.reshape(x, (-1, self.num_features, self.num_features))
        xxt = ops.tensordot(x, x, axes=(2, 2))
        xxt = ops.reshape(xxt, (-1, self.num_features, self.num_features))
        return ops.sum(self.l2reg * ops.square(xxt - self.identity))

    def get_config(self):
        config = super(OrthogonalRegularizer, self).get_config()
        config.update({"num_features": self.num_features, "l2reg_strength": self.l2reg})
        return config


def transformation_net(inputs: tf.Tensor, num_features: int, name: str) -> tf.Tensor:
    """
    Reference: https://keras.io/examples/vision/pointnet/#build-a-model.

    The `filters` values come from the original paper:
    https://arxiv.org/abs/1612.00593.
    """
    x = conv_block(inputs, filters=8, name=f"{name}_1")
    x = conv_block(x, filters=16, name=f"{name}_2")
    x = layers.GlobalMaxPooling1D()(x)
    x = mlp_block(x, filters=16, name=f"{name}_1_1")
    x = mlp_block(x, filters=8, name=f"{name}_2_1")
    return layers.Dense(
        num_features * num_features,
        kernel_initializer="zeros",
        bias_initializer=keras.initializers.Constant(np.eye(num_features).flatten()),
        activity_regularizer=OrthogonalRegularizer(num_features),
        name=f"{name}_final",
    )(x)


def transformation_block(inputs: tf.Tensor, num_features: int, name: str) -> tf.Tensor:
    transformed_features = transformation_net(inputs, num_features, name=name)
    transformed_features = layers.Reshape((num_features, num_features))(transformed_features)
    return layers.Dot(axes=(2, 1), name=f"{name}_mm")([inputs, transformed_features])


def get_shape_segmentation_model(num_points: int, num_classes: int) -> keras.Model:
    input_points = keras.Input(shape=(None, 3))

    # PointNet Classification Network.
    transformed_inputs = transformation_block(input_points, num_features=3, name="input_transformation_block")
    features_16 = conv_block(transformed_inputs, filters=16, name="features_16")
    features_32 = conv_block(features_16, filters=32, name="features_32")
    transformed_features = transformation_block(features_32, num_features=32, name="transformed_features")
    features_64 = conv_block(transformed_features, filters=64, name="features_64")
    global_features = layers.MaxPool1D(pool_size=num_points, name="global_features")(features_64)
    global_features = ops.tile(global_features, [1, num_points, 1])

    # Segmentation head.
    segmentation_input = layers.Concatenate(name="segmentation_input")(
        [features_16, features_32, transformed_features, features_64, global_features]
    )
    segmentation_features = conv_block(segmentation_input, filters=32, name="segmentation_features")
    outputs = layers.Conv1D(num_classes, kernel_size=1, activation="softmax", name="segmentation_head")(
        segmentation_features
    )
    return keras.Model(input_points, outputs)


segmentation_model = get_shape_segmentation_model(NUM_SAMPLE_POINTS, num_classes)

training_step_size = 36 // 8
lr_schedule = keras.optimizers.schedules.PiecewiseConstantDecay(
    boundaries=[training_step_size * 2, training_step_size * 4],
    values=[1e-3, 5e-4, 2.5e-4],
)


def run_experiment(epochs):
    segmentation_model = get_shape_segmentation_model(NUM_SAMPLE_POINTS, num_classes)
    segmentation_model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=lr_schedule),
        loss=keras.losses.CategoricalCrossentropy(),
        metrics=["accuracy"],
    )

    checkpoint_filepath = os.path.join(tempfile.mkdtemp(), "checkpoint.weights.h5")
    checkpoint_callback = keras.callbacks.ModelCheckpoint(
        checkpoint_filepath,
        monitor="val_loss",
        save_best_only=True,
        save_weights_only=True,
    )

    history = segmentation_model.fit(
        train_ds,
        validation_data=val_ds,
        epochs=epochs,
        callbacks=[checkpoint_callback],
        verbose=2,
    )

    segmentation_model.load_weights(checkpoint_filepath)
    return segmentation_model, history


segmentation_model, history = run_experiment(epochs=2)

validation_batch = next(iter(val_ds))
val_predictions = segmentation_model.predict(validation_batch[0], verbose=0)
print(f"Validation prediction shape: {val_predictions.shape}")
predicted_labels = np.argmax(val_predictions, axis=-1)
true_labels = np.argmax(validation_batch[1], axis=-1)
assert predicted_labels.shape == (8, NUM_SAMPLE_POINTS)
print("point accuracy:", float(np.mean(predicted_labels == true_labels)))
print("pointnet segmentation ok")
