"""TensorFlow tutorials (tf.keras era, synthetic data): eager idioms Keras 3 treats differently.

- CSV-loading tutorial: a Functional model on `Input(shape=())` called on a Python number, `calc(1)`.
- Data-augmentation tutorial: a helper of a layer's `call()` branching with Python's `if` on
  `tf.random.uniform([])`, in a Sequential model given an Input.
- Deep Dream tutorial: a `tf.Module` holding the feature model, the gradient of its activations with
  respect to the input image taken under `tf.function` through a helper given `self.model`.
- Style-transfer tutorial: a `tf.Variable` image optimized through a tape in a `tf.function` step,
  then read by `tf.image.total_variation` and by a NumPy helper; a multi-output extractor's outputs
  taken with `zip()` and `.numpy()`.
"""
import numpy as np
import tensorflow as tf

# CSV-loading tutorial: Keras 2 converted the number to a tensor.
input = tf.keras.Input(shape=(), dtype=tf.float32)
result = 2 * input + 1
calc = tf.keras.Model(inputs=input, outputs=result)
print("calc(1) =", calc(1).numpy())


# Data-augmentation tutorial: a custom augmentation layer.
def random_invert_img(x, p=0.5):
    if tf.random.uniform([]) < p:
        x = 255 - x
    return x


class RandomInvert(tf.keras.layers.Layer):
    def call(self, x):
        return random_invert_img(x)


augmented = tf.keras.Sequential([tf.keras.Input((8, 8, 3)), RandomInvert(), tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)])
augmented.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
augmented.fit(np.random.rand(16, 8, 8, 3).astype("float32"), np.random.randint(0, 2, 16), epochs=1, verbose=0)

# Deep Dream tutorial: gradient ascent on the input image.
dream_model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(4, activation="relu")])


def calc_loss(img, model):
    activations = model(tf.expand_dims(img, axis=0))
    return tf.reduce_mean(activations)


class DeepDream(tf.Module):
    def __init__(self, model):
        self.model = model

    @tf.function(input_signature=(tf.TensorSpec(shape=[8], dtype=tf.float32),))
    def __call__(self, img):
        with tf.GradientTape() as tape:
            tape.watch(img)
            loss = calc_loss(img, self.model)
        gradients = tape.gradient(loss, img)
        return loss, gradients


deepdream = DeepDream(dream_model)
loss, gradients = deepdream(tf.constant(np.random.rand(8).astype("float32")))
print("dream gradient", tuple(gradients.shape))

# Style-transfer tutorial: the image is the variable the optimizer updates.
style_input = tf.keras.Input((8, 8, 3))
features = tf.keras.layers.Conv2D(2, 3)(style_input)
extractor = tf.keras.Model(style_input, [features, tf.keras.layers.GlobalAveragePooling2D()(features)])
image = tf.Variable(np.random.rand(1, 8, 8, 3).astype("float32"))
opt = tf.keras.optimizers.Adam(0.02)


@tf.function()
def train_step(image):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(extractor(image)[1])
    grad = tape.gradient(loss, image)
    opt.apply_gradients([(grad, image)])


def tensor_to_image(tensor):
    tensor = tensor * 255
    return np.array(tensor, dtype=np.uint8)


train_step(image)
train_step(image)
print("total variation", tf.image.total_variation(image).numpy())
print("image", tensor_to_image(image).shape)
outputs = extractor(image)
for name, output in zip(["features", "pooled"], outputs):
    print(name, output.numpy().shape)
print("DONE")
