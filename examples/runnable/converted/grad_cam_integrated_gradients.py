"""(Hand conversion to Keras 3, as the Keras team converted the keras.io Grad-CAM and
integrated-gradients examples: TensorFlow backend only, since tf.GradientTape over a model's
inputs and intermediate outputs is TensorFlow autodiff (JAX and PyTorch need jax.grad /
torch.autograd code instead). `model.outputs[0]` for a Sequential model's output.)

Grad-CAM class activation heatmaps and integrated gradients on a small CNN.

In the style of the tf.keras-era keras.io "Grad-CAM class activation visualization" and "Model
interpretability with Integrated Gradients": a small CNN trained on synthetic images whose class
is where a bright square sits; make_gradcam_heatmap() builds
tf.keras.models.Model([model.inputs], [model.get_layer(name).output, model.outputs[0]]), records the
class score under tf.GradientTape, pools the gradients with tf.reduce_mean(axis=(0, 1, 2)),
weights the last conv output with `@ pooled_grads[..., tf.newaxis]`, tf.squeeze, tf.maximum and
tf.math.reduce_max; model.layers[-1].activation = None; the heatmap resized with
tf.image.resize; integrated gradients with tape.watch on
tf.cast inputs over interpolated images, tf.convert_to_tensor and tf.reduce_mean(axis=0).
"""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

np.random.seed(2)
tf.random.set_seed(2)

IMG = 32
NUM_CLASSES = 4  # bright square in the top-left, top-right, bottom-left or bottom-right quadrant


def make_images(n):
    x = np.random.uniform(0, 0.2, size=(n, IMG, IMG, 3)).astype("float32")
    y = np.random.randint(0, NUM_CLASSES, n)
    for i, c in enumerate(y):
        oy, ox = (c // 2) * 16, (c % 2) * 16
        py, px = np.random.randint(2, 8), np.random.randint(2, 8)
        x[i, oy + py : oy + py + 6, ox + px : ox + px + 6, :] = 1.0
    return x, y


x_train, y_train = make_images(256)
x_test, y_test = make_images(16)

model = keras.Sequential(
    [
        keras.Input(shape=(IMG, IMG, 3)),
        layers.Conv2D(16, 3, padding="same", activation="relu", name="conv1"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu", name="last_conv"),
        layers.MaxPooling2D(4),
        layers.Flatten(name="flatten"),
        layers.Dense(NUM_CLASSES, activation="softmax", name="predictions"),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=6, verbose=2)
last_conv_layer_name = "last_conv"


def make_gradcam_heatmap(img_array, model, last_conv_layer_name, pred_index=None):
    # First, we create a model that maps the input image to the activations
    # of the last conv layer as well as the output predictions
    grad_model = keras.models.Model(
        [model.inputs], [model.get_layer(last_conv_layer_name).output, model.outputs[0]]
    )

    # Then, we compute the gradient of the top predicted class for our input image
    # with respect to the activations of the last conv layer
    with tf.GradientTape() as tape:
        last_conv_layer_output, preds = grad_model(img_array)
        if pred_index is None:
            pred_index = tf.argmax(preds[0])
        class_channel = preds[:, pred_index]

    # This is the gradient of the output neuron (top predicted or chosen)
    # with regard to the output feature map of the last conv layer
    grads = tape.gradient(class_channel, last_conv_layer_output)

    # This is a vector where each entry is the mean intensity of the gradient
    # over a specific feature map channel
    pooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2))

    # We multiply each channel in the feature map array
    # by "how important this channel is" with regard to the top predicted class
    # then sum all the channels to obtain the heatmap class activation
    last_conv_layer_output = last_conv_layer_output[0]
    heatmap = last_conv_layer_output @ pooled_grads[..., tf.newaxis]
    heatmap = tf.squeeze(heatmap)

    # For visualization purpose, we will also normalize the heatmap between 0 & 1
    heatmap = tf.maximum(heatmap, 0) / tf.math.reduce_max(heatmap)
    return heatmap.numpy()


# Remove last layer's softmax
model.layers[-1].activation = None

img_array = x_test[:1]
preds = model.predict(img_array, verbose=0)
print("Predicted:", int(np.argmax(preds[0])), "true:", int(y_test[0]))
heatmap = make_gradcam_heatmap(img_array, model, last_conv_layer_name)
print("heatmap", heatmap.shape, float(heatmap.max()))

# Superimpose: rescale to 0-255 and resize the heatmap to the image size.
heatmap_uint8 = np.uint8(255 * heatmap)
jet_heatmap = tf.image.resize(heatmap_uint8[..., np.newaxis], (IMG, IMG))
superimposed_img = jet_heatmap * 0.4 + x_test[0] * 255
superimposed_img = tf.clip_by_value(superimposed_img, 0, 255)
print("superimposed", superimposed_img.shape)


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
        baseline = np.zeros((IMG, IMG, 3)).astype(np.float32)
    else:
        baseline = baseline.astype(np.float32)
    img_input = img_input.astype(np.float32)
    interpolated_image = [baseline + (step / num_steps) * (img_input - baseline) for step in range(num_steps + 1)]
    interpolated_image = np.array(interpolated_image).astype(np.float32)

    grads = []
    for i, img in enumerate(interpolated_image):
        img = tf.expand_dims(img, axis=0)
        grad = get_gradients(img, top_pred_idx=top_pred_idx)
        grads.append(grad[0])
    grads = tf.convert_to_tensor(grads, dtype=tf.float32)

    grads = (grads[:-1] + grads[1:]) / 2.0
    avg_grads = tf.reduce_mean(grads, axis=0)
    integrated_grads = (img_input - baseline) * avg_grads
    return integrated_grads


top_pred_idx = tf.argmax(preds[0])
igrads = get_integrated_gradients(x_test[0], top_pred_idx=top_pred_idx)
attributions = tf.reduce_sum(tf.abs(igrads), axis=-1).numpy()
quadrant = np.unravel_index(np.argmax(attributions), attributions.shape)
print("integrated gradients", igrads.shape, "peak at", quadrant)
