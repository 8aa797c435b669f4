"""Adversarial examples with the fast gradient sign method (after the TensorFlow FGSM tutorial,
tf.keras era): a classifier trained briefly on synthetic images (the tutorial loads MobileNetV2
with ImageNet weights and a photo), `create_adversarial_pattern` taking the gradient of the loss
with respect to the input image under a tf.GradientTape that watches it, the sign of that gradient
added with growing epsilons and the predictions of the perturbed images compared.

Hand conversion to multi-backend Keras 3: the gradient with respect to the image is taken per
backend (tf.GradientTape on TensorFlow, jax.grad of a function of the image on JAX,
torch.autograd.grad of a copy that requires grad on PyTorch); keras.ops replaces tf.sign,
tf.one_hot, tf.clip_by_value and tf.convert_to_tensor; keras.utils.set_random_seed the seeds."""

import numpy as np
import keras
from keras import layers, ops

keras.utils.set_random_seed(0)
num_classes = 4


def make_images(n):
    labels = np.random.randint(0, num_classes, size=n)
    images = np.random.uniform(-0.2, 0.2, size=(n, 16, 16, 3)).astype("float32")
    for i, label in enumerate(labels):
        images[i, 4 * label:4 * label + 4, :, label % 3] += 0.8
    return images, labels


x_train, y_train = make_images(128)
pretrained_model = keras.Sequential(
    [
        keras.Input(shape=(16, 16, 3)),
        layers.Conv2D(8, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
pretrained_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
pretrained_model.fit(x_train, y_train, batch_size=32, epochs=2, verbose=0)
pretrained_model.trainable = False

loss_object = keras.losses.CategoricalCrossentropy()


def create_adversarial_pattern(input_image, input_label):
    def loss_fn(image):
        prediction = pretrained_model(image)
        return loss_object(input_label, prediction)

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        gradient = jax.grad(loss_fn)(ops.convert_to_tensor(input_image))
    elif backend == "torch":
        import torch

        image = ops.convert_to_tensor(input_image).detach().clone().requires_grad_(True)
        (gradient,) = torch.autograd.grad(loss_fn(image), [image])
    else:
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(input_image)
            loss = loss_fn(input_image)
        # Get the gradients of the loss w.r.t to the input image.
        gradient = tape.gradient(loss, input_image)
    # Get the sign of the gradients to create the perturbation
    signed_grad = ops.sign(gradient)
    return signed_grad


image = ops.convert_to_tensor(x_train[:1])
label = ops.one_hot(y_train[:1], num_classes)
perturbations = create_adversarial_pattern(image, label)
print("perturbation", perturbations.shape, float(np.abs(ops.convert_to_numpy(perturbations)).max()))

epsilons = [0, 0.01, 0.1, 0.15]
for eps in epsilons:
    adv_x = image + eps * perturbations
    adv_x = ops.clip(adv_x, -1, 1)
    probs = pretrained_model.predict(adv_x, verbose=0)
    print("epsilon %.2f: class %d confidence %.3f" % (eps, int(np.argmax(probs[0])), float(np.max(probs[0]))))
assert np.allclose(np.abs(ops.convert_to_numpy(perturbations)), 1.0) or np.abs(ops.convert_to_numpy(perturbations)).max() <= 1.0
print("fgsm ok")
