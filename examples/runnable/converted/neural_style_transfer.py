"""Neural style transfer (in the style of the keras.io example, TF 2 era): a small VGG-like
convnet stands in for VGG19 (no ImageNet download); a feature extractor built with
keras.Model(inputs=model.inputs, outputs=outputs_dict); content, style (Gram matrix) and total
variation losses in TensorFlow; the combination image is a tf.Variable optimised by a
@tf.function GradientTape step and optimizer.apply_gradients; images are NumPy files (load_img in the
original), resized with tf.image.resize, and the result is deprocessed from .numpy().

Hand conversion to multi-backend Keras 3: keras.ops replaces the TF ops (ops.transpose, ops.reshape,
ops.matmul, ops.sum, ops.square, ops.power, ops.concatenate); the images are resized with
keras.ops.image.resize and preprocessed with keras.applications.vgg19.preprocess_input on NumPy;
the combination image is a keras.Variable updated by optimizer.apply_gradients; the gradient of
the loss with respect to the image is taken per backend (tf.GradientTape on TensorFlow,
jax.value_and_grad on JAX, torch.autograd.grad on PyTorch) and nothing is wrapped in tf.function;
the variable is read with keras.ops.convert_to_numpy."""
import os
import tempfile

import numpy as np
import keras
from keras import ops
from keras.applications import vgg19

workdir = tempfile.mkdtemp()
base_image_path = os.path.join(workdir, "paris.npy")
style_reference_image_path = os.path.join(workdir, "starry_night.npy")
result_prefix = os.path.join(workdir, "paris_generated")

rng = np.random.default_rng(0)
np.save(base_image_path, rng.integers(0, 255, size=(40, 48, 3)).astype("uint8"))
np.save(style_reference_image_path, rng.integers(0, 255, size=(32, 32, 3)).astype("uint8"))

# Weights of the different loss components
total_variation_weight = 1e-6
style_weight = 1e-6
content_weight = 2.5e-8

# Dimensions of the generated picture.
height, width = np.load(base_image_path).shape[:2]
img_nrows = 32
img_ncols = int(width * img_nrows / height)


def preprocess_image(image_path):
    # Util function to open, resize and format pictures into appropriate tensors
    img = ops.convert_to_numpy(ops.image.resize(np.load(image_path).astype("float32"), (img_nrows, img_ncols)))
    img = np.expand_dims(img, axis=0)
    img = vgg19.preprocess_input(img)
    return ops.convert_to_tensor(img)


def deprocess_image(x):
    # Util function to convert a tensor into a valid image
    x = x.reshape((img_nrows, img_ncols, 3))
    # Remove zero-center by mean pixel
    x[:, :, 0] += 103.939
    x[:, :, 1] += 116.779
    x[:, :, 2] += 123.68
    # 'BGR'->'RGB'
    x = x[:, :, ::-1]
    x = np.clip(x, 0, 255).astype("uint8")
    return x


def gram_matrix(x):
    x = ops.transpose(x, (2, 0, 1))
    features = ops.reshape(x, (ops.shape(x)[0], -1))
    gram = ops.matmul(features, ops.transpose(features))
    return gram


def style_loss(style, combination):
    S = gram_matrix(style)
    C = gram_matrix(combination)
    channels = 3
    size = img_nrows * img_ncols
    return ops.sum(ops.square(S - C)) / (4.0 * (channels ** 2) * (size ** 2))


def content_loss(base, combination):
    return ops.sum(ops.square(combination - base))


def total_variation_loss(x):
    a = ops.square(x[:, : img_nrows - 1, : img_ncols - 1, :] - x[:, 1:, : img_ncols - 1, :])
    b = ops.square(x[:, : img_nrows - 1, : img_ncols - 1, :] - x[:, : img_nrows - 1, 1:, :])
    return ops.sum(ops.power(a + b, 1.25))


def tiny_vgg():
    # Stands in for vgg19.VGG19(weights="imagenet", include_top=False)
    inputs = keras.Input(shape=(None, None, 3))
    x = keras.layers.Conv2D(8, 3, activation="relu", padding="same", name="block1_conv1")(inputs)
    x = keras.layers.MaxPooling2D(2, name="block1_pool")(x)
    x = keras.layers.Conv2D(16, 3, activation="relu", padding="same", name="block2_conv1")(x)
    x = keras.layers.MaxPooling2D(2, name="block2_pool")(x)
    x = keras.layers.Conv2D(16, 3, activation="relu", padding="same", name="block3_conv1")(x)
    x = keras.layers.Conv2D(16, 3, activation="relu", padding="same", name="block5_conv2")(x)
    return keras.Model(inputs, x, name="vgg19")


model = tiny_vgg()

# Get the symbolic outputs of each "key" layer (we gave them unique names).
outputs_dict = dict([(layer.name, layer.output) for layer in model.layers])

# Set up a model that returns the activation values for every layer in
# VGG19 (as a dict).
feature_extractor = keras.Model(inputs=model.inputs, outputs=outputs_dict)

# List of layers to use for the style loss.
style_layer_names = ["block1_conv1", "block2_conv1", "block3_conv1"]
# The layer to use for the content loss.
content_layer_name = "block5_conv2"


def compute_loss(combination_image, base_image, style_reference_image):
    input_tensor = ops.concatenate([base_image, style_reference_image, combination_image], axis=0)
    features = feature_extractor(input_tensor)

    # Initialize the loss
    loss = ops.zeros(shape=())

    # Add content loss
    layer_features = features[content_layer_name]
    base_image_features = layer_features[0, :, :, :]
    combination_features = layer_features[2, :, :, :]
    loss = loss + content_weight * content_loss(base_image_features, combination_features)
    # Add style loss
    for layer_name in style_layer_names:
        layer_features = features[layer_name]
        style_reference_features = layer_features[1, :, :, :]
        combination_features = layer_features[2, :, :, :]
        sl = style_loss(style_reference_features, combination_features)
        loss += (style_weight / len(style_layer_names)) * sl

    # Add total variation loss
    loss += total_variation_weight * total_variation_loss(combination_image)
    return loss


def compute_loss_and_grads(combination_image, base_image, style_reference_image):
    """The loss and its gradient with respect to the combination image, on each backend."""
    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        image = ops.convert_to_tensor(combination_image)
        return jax.value_and_grad(compute_loss)(image, base_image, style_reference_image)
    if backend == "torch":
        import torch

        image = ops.convert_to_tensor(combination_image).detach().requires_grad_(True)
        loss = compute_loss(image, base_image, style_reference_image)
        (grads,) = torch.autograd.grad(loss, image)
        return loss.detach(), grads
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = compute_loss(combination_image, base_image, style_reference_image)
    grads = tape.gradient(loss, combination_image)
    return loss, grads


optimizer = keras.optimizers.SGD(
    keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=100.0, decay_steps=100, decay_rate=0.96)
)

base_image = preprocess_image(base_image_path)
style_reference_image = preprocess_image(style_reference_image_path)
combination_image = keras.Variable(preprocess_image(base_image_path))

iterations = 8
first_loss = None
for i in range(1, iterations + 1):
    loss, grads = compute_loss_and_grads(combination_image, base_image, style_reference_image)
    optimizer.apply_gradients([(grads, combination_image)])
    if first_loss is None:
        first_loss = float(loss)
    if i % 4 == 0:
        print("Iteration %d: loss=%.2f" % (i, loss))
        img = deprocess_image(ops.convert_to_numpy(combination_image))
        fname = result_prefix + "_at_iteration_%d.npy" % i
        np.save(fname, img)

assert np.isfinite(float(loss))
assert os.path.exists(result_prefix + "_at_iteration_8.npy")
print("style transfer ok", first_loss, float(loss))
