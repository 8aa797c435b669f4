"""Grad-CAM, vanilla saliency and integrated gradients on a functional CNN (keras.io, tf.keras era).

The classifier is trained briefly on synthetic images; the explainability code follows keras.io:
a grad model keras.models.Model(model.inputs, [model.get_layer(name).output, model.output]),
tf.GradientTape over the last conv layer's output, the softmax removed with
model.layers[-1].activation = None, and integrated gradients with tf.linspace alphas and a
trapezoidal Riemann sum.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

np.random.seed(3)
tf.random.set_seed(3)

img_size = (24, 24)
num_classes = 3
last_conv_layer_name = "block2_conv"


def make_images(n):
    labels = np.random.randint(0, num_classes, size=n)
    images = np.random.uniform(0, 60, size=(n,) + img_size + (3,)).astype("float32")
    for i, label in enumerate(labels):
        r = 4 + 7 * label
        images[i, r:r + 6, r:r + 6, label] += 180.0
    return images, labels


x_train, y_train = make_images(64)

inputs = keras.Input(shape=img_size + (3,))
x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
x = layers.Conv2D(8, 3, padding="same", activation="relu", name="block1_conv")(x)
x = layers.MaxPooling2D(2, name="block1_pool")(x)
x = layers.Conv2D(16, 3, padding="same", activation="relu", name=last_conv_layer_name)(x)
x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
outputs = layers.Dense(num_classes, activation="softmax", name="predictions")(x)
model = keras.models.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=16, epochs=1, verbose=2)


def get_img_array(index):
    # `array` is a float32 array of shape (24, 24, 3); add a dimension to make a batch of one
    array = x_train[index]
    array = np.expand_dims(array, axis=0)
    return array


def make_gradcam_heatmap(img_array, model, last_conv_layer_name, pred_index=None):
    # First, we create a model that maps the input image to the activations
    # of the last conv layer as well as the output predictions
    grad_model = tf.keras.models.Model(
        model.inputs, [model.get_layer(last_conv_layer_name).output, model.output]
    )

    # Then, we compute the gradient of the top predicted class for our input image
    # with respect to the activations of the last conv layer
    with tf.GradientTape() as tape:
        last_conv_layer_output, preds = grad_model(img_array)
        if pred_index is None:
            pred_index = tf.argmax(preds[0])
        class_channel = preds[:, pred_index]

    grads = tape.gradient(class_channel, last_conv_layer_output)
    pooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2))

    last_conv_layer_output = last_conv_layer_output[0]
    heatmap = last_conv_layer_output @ pooled_grads[..., tf.newaxis]
    heatmap = tf.squeeze(heatmap)

    heatmap = tf.maximum(heatmap, 0) / (tf.math.reduce_max(heatmap) + keras.backend.epsilon())
    return heatmap.numpy()


def overlay(img, heatmap, alpha=0.4):
    heatmap = np.uint8(255 * heatmap)
    heatmap = tf.image.resize(heatmap[..., np.newaxis], img.shape[:2]).numpy()
    jet_heatmap = np.concatenate([heatmap, np.zeros_like(heatmap), 255 - heatmap], axis=-1)
    superimposed_img = jet_heatmap * alpha + img
    return np.clip(superimposed_img, 0, 255).astype("uint8")


img_array = get_img_array(0)

# Remove last layer's softmax
model.layers[-1].activation = None

preds = model.predict(img_array)
print("Predicted:", np.argmax(preds[0]), "true:", y_train[0])

heatmap = make_gradcam_heatmap(img_array, model, last_conv_layer_name)
print("heatmap", heatmap.shape, float(heatmap.max()))
superimposed = overlay(img_array[0], heatmap)
print("overlay", superimposed.shape, superimposed.dtype)


def get_gradients(img_input, top_pred_idx):
    images = tf.cast(img_input, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(images)
        preds = model(images)
        top_class = preds[:, top_pred_idx]
    grads = tape.gradient(top_class, images)
    return grads


def get_integrated_gradients(img_input, top_pred_idx, baseline=None, num_steps=16):
    if baseline is None:
        baseline = np.zeros(img_size + (3,)).astype(np.float32)
    else:
        baseline = baseline.astype(np.float32)

    # 1. Do interpolation.
    img_input = img_input.astype(np.float32)
    alphas = tf.linspace(start=0.0, stop=1.0, num=num_steps + 1)
    alphas_x = alphas[:, tf.newaxis, tf.newaxis, tf.newaxis]
    interpolated_image = baseline + alphas_x * (img_input - baseline)

    # 2. Get the gradients
    grads = get_gradients(interpolated_image, top_pred_idx=top_pred_idx)

    # 3. Approximate the integral using the trapezoidal rule
    grads = (grads[:-1] + grads[1:]) / 2.0
    avg_grads = tf.reduce_mean(grads, axis=0)

    # 4. Calculate integrated gradients and return
    integrated_grads = (img_input - baseline) * avg_grads
    return integrated_grads


top_pred_idx = int(tf.argmax(preds[0]))
saliency = tf.reduce_max(tf.abs(get_gradients(img_array, top_pred_idx)[0]), axis=-1)
print("saliency", saliency.shape, float(tf.reduce_max(saliency)))
igrads = get_integrated_gradients(img_array[0], top_pred_idx)
attributions = tf.reduce_sum(tf.abs(igrads), axis=-1).numpy()
print("integrated gradients", attributions.shape, float(attributions.sum()))
