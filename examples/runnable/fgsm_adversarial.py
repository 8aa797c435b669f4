"""Adversarial examples with the fast gradient sign method (after the TensorFlow FGSM tutorial,
tf.keras era): a classifier trained briefly on synthetic images (the tutorial loads MobileNetV2
with ImageNet weights and a photo), `create_adversarial_pattern` taking the gradient of the loss
with respect to the input image under a tf.GradientTape that watches it, the sign of that gradient
added with growing epsilons and the predictions of the perturbed images compared."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

np.random.seed(0)
tf.random.set_seed(0)
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
    with tf.GradientTape() as tape:
        tape.watch(input_image)
        prediction = pretrained_model(input_image)
        loss = loss_object(input_label, prediction)

    # Get the gradients of the loss w.r.t to the input image.
    gradient = tape.gradient(loss, input_image)
    # Get the sign of the gradients to create the perturbation
    signed_grad = tf.sign(gradient)
    return signed_grad


image = tf.convert_to_tensor(x_train[:1])
label = tf.one_hot(y_train[:1], num_classes)
perturbations = create_adversarial_pattern(image, label)
print("perturbation", perturbations.shape, float(np.abs(np.asarray(perturbations)).max()))

epsilons = [0, 0.01, 0.1, 0.15]
for eps in epsilons:
    adv_x = image + eps * perturbations
    adv_x = tf.clip_by_value(adv_x, -1, 1)
    probs = pretrained_model.predict(adv_x, verbose=0)
    print("epsilon %.2f: class %d confidence %.3f" % (eps, int(np.argmax(probs[0])), float(np.max(probs[0]))))
assert np.allclose(np.abs(np.asarray(perturbations)), 1.0) or np.abs(np.asarray(perturbations)).max() <= 1.0
print("fgsm ok")
