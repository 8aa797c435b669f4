"""Visualizing what convnets learn (after the keras.io example, tf.keras era): a feature extractor
on one layer of a convnet, gradient ascent on the input image in a @tf.function with
tf.GradientTape(watch=img), tf.math.l2_normalize of the gradients, deprocessing with NumPy and
a saved grid of filters. The convnet is a small one trained briefly and saved as .h5 (the
original loads ResNet50V2 with ImageNet weights).

Hand conversion to multi-backend Keras 3. The gradient of the filter activation with respect to
the input image is taken per backend, as the Keras 3 guides write custom gradient code:
tf.GradientTape on TensorFlow, jax.value_and_grad on JAX, torch.autograd.grad on a tensor that
requires grad on PyTorch (the step is not wrapped in tf.function). keras.ops replaces the TF ops
(ops.mean; the l2-normalisation of tf.math.l2_normalize over all axes written with ops.rsqrt);
the random image comes from keras.random.uniform; tensors become NumPy with
keras.ops.convert_to_numpy; the model is saved as .keras."""
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import ops

tmp_dir = tempfile.mkdtemp()

# The dimensions of our input image
img_width = 40
img_height = 40
# Our target layer: we will visualize the filters from this layer.
layer_name = "conv3_block4_out"

inputs = keras.Input((None, None, 3))
x = keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="conv1_conv")(inputs)
x = keras.layers.MaxPooling2D(name="pool1_pool")(x)
x = keras.layers.Conv2D(16, 3, padding="same", name="conv2_block1_conv")(x)
x = keras.layers.BatchNormalization(name="conv2_block1_bn")(x)
x = keras.layers.Activation("relu", name="conv2_block1_out")(x)
x = keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="conv3_block4_out")(x)
x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
outputs = keras.layers.Dense(5, activation="softmax", name="predictions")(x)
base = keras.Model(inputs, outputs, name="small_convnet")
base.compile("adam", "sparse_categorical_crossentropy")
base.fit(np.random.rand(32, img_width, img_height, 3), np.random.randint(0, 5, (32,)), epochs=1, verbose=0)
base.save(os.path.join(tmp_dir, "small_convnet.keras"))

# Build a model ... and load its weights.
model = keras.models.load_model(os.path.join(tmp_dir, "small_convnet.keras"))

# Set up a model that returns the activation values for our target layer
layer = model.get_layer(name=layer_name)
feature_extractor = keras.Model(inputs=model.inputs, outputs=layer.output)


def compute_loss(input_image, filter_index):
    activation = feature_extractor(input_image)
    # We avoid border artifacts by only involving non-border pixels in the loss.
    filter_activation = activation[:, 2:-2, 2:-2, filter_index]
    return ops.mean(filter_activation)


def loss_and_gradient(img, filter_index):
    """The loss and its gradient with respect to the input image, on each backend."""
    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return jax.value_and_grad(compute_loss)(img, filter_index)
    if backend == "torch":
        import torch

        img = ops.convert_to_tensor(img).detach().requires_grad_(True)
        loss = compute_loss(img, filter_index)
        (grads,) = torch.autograd.grad(loss, img)
        return loss.detach(), grads
    with tf.GradientTape() as tape:
        tape.watch(img)
        loss = compute_loss(img, filter_index)
    return loss, tape.gradient(loss, img)


def gradient_ascent_step(img, filter_index, learning_rate):
    loss, grads = loss_and_gradient(img, filter_index)
    # Normalize gradients (tf.math.l2_normalize over all axes).
    grads = grads * ops.rsqrt(ops.maximum(ops.sum(ops.square(grads)), 1e-12))
    img = ops.convert_to_tensor(img) + learning_rate * grads
    return loss, img


def initialize_image():
    # We start from a gray image with some random noise
    img = keras.random.uniform((1, img_width, img_height, 3))
    # Here we scale our random inputs to [-0.125, +0.125]
    return (img - 0.5) * 0.25


def visualize_filter(filter_index):
    # We run gradient ascent for 20 steps
    iterations = 10
    learning_rate = 10.0
    img = initialize_image()
    for iteration in range(iterations):
        loss, img = gradient_ascent_step(img, filter_index, learning_rate)

    # Decode the resulting input image
    img = deprocess_image(ops.convert_to_numpy(img[0]))
    return loss, img


def deprocess_image(img):
    # Normalize array: center on 0., ensure variance is 0.15
    img -= img.mean()
    img /= img.std() + 1e-5
    img *= 0.15

    # Center crop
    img = img[5:-5, 5:-5, :]

    # Clip to [0, 1]
    img += 0.5
    img = np.clip(img, 0, 1)

    # Convert to RGB array
    img *= 255
    img = np.clip(img, 0, 255).astype("uint8")
    return img


loss, img = visualize_filter(0)
np.save(os.path.join(tmp_dir, "0.npy"), img)  # keras.utils.save_img needs PIL
print("filter 0 loss", float(loss), img.shape, img.dtype)

# Compute image inputs that maximize per-filter activations
# for the first 4 filters of our target layer
all_imgs = []
for filter_index in range(4):
    loss, img = visualize_filter(filter_index)
    all_imgs.append(img)

# Build a black picture with enough space for
# our 2 x 2 filters of size 30 x 30, with a 5px margin in between
margin = 5
n = 2
cropped_width = img_width - 5 * 2
cropped_height = img_height - 5 * 2
width = n * cropped_width + (n - 1) * margin
height = n * cropped_height + (n - 1) * margin
stitched_filters = np.zeros((width, height, 3))

# Fill the picture with our saved filters
for i in range(n):
    for j in range(n):
        img = all_imgs[i * n + j]
        stitched_filters[
            (cropped_width + margin) * i : (cropped_width + margin) * i + cropped_width,
            (cropped_height + margin) * j : (cropped_height + margin) * j + cropped_height,
            :,
        ] = img
np.save(os.path.join(tmp_dir, "stiched_filters.npy"), stitched_filters)
print("saved", sorted(os.listdir(tmp_dir)))
