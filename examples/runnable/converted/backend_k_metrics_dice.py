"""(Hand conversion to multi-backend Keras 3: keras.ops for the backend functions, axis=-1 kept
on concatenate, reshape(x, (-1,)) for K.flatten, the coordinate channel broadcast instead of
tiled by a tensor, optimizer.learning_rate.assign.)

Segmentation with a Dice loss and F1/precision/recall metrics written with the Keras backend.

In the style of the tf.keras-era Kaggle kernels and keras.io snippets that used
`from tensorflow.keras import backend as K` for everything: recall/precision/F1 metrics with
K.round(K.clip(...)), K.sum and K.epsilon(); a Dice coefficient and Dice loss with K.flatten;
an IoU metric; a custom layer that reads K.int_shape and K.shape, tiles a coordinate channel with
K.expand_dims / K.tile / K.cast and joins it with K.concatenate; K.mean / K.square losses; and
K.get_value / K.set_value on the optimizer's learning rate.
"""
import numpy as np
import keras
from keras import layers
from keras import ops

np.random.seed(3)
keras.utils.set_random_seed(3)

# Synthetic "cells": bright discs on noise, masks are the discs.
N, H, W = 64, 32, 32
yy, xx = np.mgrid[0:H, 0:W]
images = np.random.normal(0.0, 0.3, size=(N, H, W, 1)).astype("float32")
masks = np.zeros((N, H, W, 1), dtype="float32")
for i in range(N):
    cy, cx, r = np.random.randint(8, 24), np.random.randint(8, 24), np.random.randint(3, 7)
    disc = (yy - cy) ** 2 + (xx - cx) ** 2 <= r ** 2
    masks[i, disc, 0] = 1.0
    images[i, disc, 0] += 1.0


def recall_m(y_true, y_pred):
    true_positives = ops.sum(ops.round(ops.clip(y_true * y_pred, 0, 1)))
    possible_positives = ops.sum(ops.round(ops.clip(y_true, 0, 1)))
    recall = true_positives / (possible_positives + keras.backend.epsilon())
    return recall


def precision_m(y_true, y_pred):
    true_positives = ops.sum(ops.round(ops.clip(y_true * y_pred, 0, 1)))
    predicted_positives = ops.sum(ops.round(ops.clip(y_pred, 0, 1)))
    precision = true_positives / (predicted_positives + keras.backend.epsilon())
    return precision


def f1_m(y_true, y_pred):
    precision = precision_m(y_true, y_pred)
    recall = recall_m(y_true, y_pred)
    return 2 * ((precision * recall) / (precision + recall + keras.backend.epsilon()))


def dice_coef(y_true, y_pred, smooth=1.0):
    y_true_f = ops.reshape(y_true, (-1,))
    y_pred_f = ops.reshape(y_pred, (-1,))
    intersection = ops.sum(y_true_f * y_pred_f)
    return (2.0 * intersection + smooth) / (ops.sum(y_true_f) + ops.sum(y_pred_f) + smooth)


def dice_loss(y_true, y_pred):
    return 1.0 - dice_coef(y_true, y_pred)


def iou_metric(y_true, y_pred):
    y_pred = ops.cast(ops.greater(y_pred, 0.5), "float32")
    intersection = ops.sum(ops.abs(y_true * y_pred), axis=[1, 2, 3])
    union = ops.sum(y_true, [1, 2, 3]) + ops.sum(y_pred, [1, 2, 3]) - intersection
    return ops.mean((intersection + keras.backend.epsilon()) / (union + keras.backend.epsilon()), axis=0)


def bce_dice_loss(y_true, y_pred):
    bce = ops.mean(ops.binary_crossentropy(y_true, y_pred))
    return bce + dice_loss(y_true, y_pred)


class AddCoords(layers.Layer):
    """CoordConv: appends a normalised row coordinate channel."""

    def call(self, inputs):
        _, h, w, c = inputs.shape
        rows = ops.arange(0, h, dtype="float32") / (h - 1)
        rows = ops.reshape(rows, (1, h, 1, 1))
        rows = ops.zeros_like(inputs[..., :1]) + ops.cast(rows, inputs.dtype)
        return ops.concatenate([inputs, rows], axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape[:-1] + (input_shape[-1] + 1,)


inputs = keras.Input(shape=(H, W, 1))
x = AddCoords()(inputs)
c1 = layers.Conv2D(8, 3, padding="same", activation="relu")(x)
p1 = layers.MaxPooling2D()(c1)
c2 = layers.Conv2D(16, 3, padding="same", activation="relu")(p1)
u1 = layers.UpSampling2D()(c2)
m1 = layers.concatenate([u1, c1])
c3 = layers.Conv2D(8, 3, padding="same", activation="relu")(m1)
outputs = layers.Conv2D(1, 1, activation="sigmoid")(c3)
model = keras.Model(inputs, outputs)

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-2),
    loss=bce_dice_loss,
    metrics=[dice_coef, iou_metric, f1_m, precision_m, recall_m],
)
history = model.fit(images, masks, batch_size=16, epochs=3, validation_split=0.25, verbose=2)

# Halve the learning rate by hand and train one more epoch.
old_lr = float(ops.convert_to_numpy(model.optimizer.learning_rate))
model.optimizer.learning_rate.assign(old_lr * 0.5)
print("learning rate", old_lr, "->", float(ops.convert_to_numpy(model.optimizer.learning_rate)))
model.fit(images, masks, batch_size=16, epochs=1, verbose=2)

scores = model.evaluate(images[:16], masks[:16], verbose=0, return_dict=True)
print({name: round(float(value), 3) for name, value in scores.items()})
pred = model.predict(images[:4], verbose=0)
print("dice on 4 images", float(ops.convert_to_numpy(dice_coef(ops.convert_to_tensor(masks[:4]), ops.convert_to_tensor(pred)))))
keras.backend.clear_session()
print("done")
