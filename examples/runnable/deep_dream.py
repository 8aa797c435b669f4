"""Deep Dream (after the keras.io example, tf.keras era): a feature extractor returning a dict
of several layers' outputs, a loss summed over the layers with per-layer coefficients, a
module-level @tf.function gradient-ascent step with tf.GradientTape(watch=img) normalised by
the mean absolute gradient, and an octave loop of tf.image.resize calls that re-injects the
detail lost at each scale. The convnet is a small one trained briefly (the original loads
InceptionV3 with ImageNet weights) and the image is random (the original loads a photo)."""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tmp_dir = tempfile.mkdtemp()
result_prefix = os.path.join(tmp_dir, "sky_dream")

# These are the names of the layers
# for which we try to maximize activation,
# as well as their weight in the final loss
# we try to maximize.
layer_settings = {
    "mixed4": 1.0,
    "mixed5": 1.5,
    "mixed6": 2.0,
}

# Playing with these hyperparameters will also allow you to achieve new effects
step = 0.01  # Gradient ascent step size
num_octave = 3  # Number of scales at which to run gradient ascent
octave_scale = 1.4  # Size ratio between scales
iterations = 5  # Number of ascent steps per scale
max_loss = 15.0


def build_model():
    inputs = keras.Input(shape=(None, None, 3))
    x = layers.Conv2D(8, 3, padding="same", activation="relu", name="conv2d_1")(inputs)
    x = layers.Conv2D(8, 3, padding="same", activation="relu", name="mixed4")(x)
    x = layers.MaxPooling2D(name="pool_1")(x)
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="mixed5")(x)
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="mixed6")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="small_inception")


def preprocess_image(image):
    # Util function to open, resize and format pictures
    # into appropriate arrays.
    img = np.expand_dims(image, axis=0)
    # inception_v3.preprocess_input: scale pixels between -1 and 1
    img = img / 127.5 - 1.0
    return img.astype("float32")


def deprocess_image(x):
    # Util function to convert a NumPy array into a valid image.
    x = x.reshape((x.shape[1], x.shape[2], 3))
    # Undo inception v3 preprocessing
    x /= 2.0
    x += 0.5
    x *= 255.0
    # Convert to uint8 and clip to the valid range [0, 255]
    x = np.clip(x, 0, 255).astype("uint8")
    return x


# Build an InceptionV3 model loaded with pre-trained ImageNet weights
model = build_model()
model.compile("adam", "sparse_categorical_crossentropy")
model.fit(np.random.rand(16, 32, 32, 3), np.random.randint(0, 10, (16,)), epochs=1, verbose=0)

# Get the symbolic outputs of each "key" layer (we gave them unique names).
outputs_dict = dict(
    [
        (layer.name, layer.output)
        for layer in [model.get_layer(name) for name in layer_settings.keys()]
    ]
)

# Set up a model that returns the activation values for every target layer
# (as a dict)
feature_extractor = keras.Model(inputs=model.inputs, outputs=outputs_dict)


def compute_loss(input_image):
    features = feature_extractor(input_image)
    # Initialize the loss
    loss = tf.zeros(shape=())
    for name in features.keys():
        coeff = layer_settings[name]
        activation = features[name]
        # We avoid border artifacts by only involving non-border pixels in the loss.
        scaling = tf.reduce_prod(tf.cast(tf.shape(activation), "float32"))
        loss += coeff * tf.reduce_sum(tf.square(activation[:, 2:-2, 2:-2, :])) / scaling
    return loss


@tf.function
def gradient_ascent_step(img, learning_rate):
    with tf.GradientTape() as tape:
        tape.watch(img)
        loss = compute_loss(img)
    # Compute gradients.
    grads = tape.gradient(loss, img)
    # Normalize gradients.
    grads /= tf.maximum(tf.reduce_mean(tf.abs(grads)), 1e-6)
    img += learning_rate * grads
    return loss, img


def gradient_ascent_loop(img, iterations, learning_rate, max_loss=None):
    for i in range(iterations):
        loss, img = gradient_ascent_step(img, learning_rate)
        if max_loss is not None and loss > max_loss:
            break
        print("... Loss value at step %d: %.2f" % (i, loss))
    return img


rng = np.random.default_rng(0)
original_img = preprocess_image(rng.integers(0, 256, size=(48, 56, 3)).astype("float32"))
original_shape = original_img.shape[1:3]

successive_shapes = [original_shape]
for i in range(1, num_octave):
    shape = tuple([int(dim / (octave_scale**i)) for dim in original_shape])
    successive_shapes.append(shape)
successive_shapes = successive_shapes[::-1]
shrunk_original_img = tf.image.resize(original_img, successive_shapes[0])

img = tf.identity(original_img)  # Make a copy
for i, shape in enumerate(successive_shapes):
    print("Processing octave %d with shape %s" % (i, shape))
    img = tf.image.resize(img, shape)
    img = gradient_ascent_loop(
        img, iterations=iterations, learning_rate=step, max_loss=max_loss
    )
    upscaled_shrunk_original_img = tf.image.resize(shrunk_original_img, shape)
    same_size_original = tf.image.resize(original_img, shape)
    lost_detail = same_size_original - upscaled_shrunk_original_img

    img += lost_detail
    shrunk_original_img = tf.image.resize(original_img, shape)

result = deprocess_image(img.numpy())
np.save(result_prefix + ".npy", result)  # keras.utils.save_img needs PIL
print("dream", result.shape, result.dtype, sorted(os.listdir(tmp_dir)))
