"""Hand conversion of tf_tutorial_eager_idioms.py to multi-backend Keras 3.

The number goes to the model as a batch of one; the augmentation draws with keras.random and
branches with keras.ops.cond; the input gradients and the image's training step are taken per
backend (jax.grad, torch.autograd.grad, tf.GradientTape); the image is a keras.Variable, and the
total variation is written with keras.ops.
"""
import numpy as np
import keras

input = keras.Input(shape=(), dtype="float32")
result = 2 * input + 1
calc = keras.Model(inputs=input, outputs=result)
print("calc(1) =", keras.ops.convert_to_numpy(calc(np.array([1.0]))[0]))


class RandomInvert(keras.layers.Layer):
    def __init__(self, p=0.5, **kwargs):
        super().__init__(**kwargs)
        self.p = p
        self.seed_generator = keras.random.SeedGenerator(1)

    def call(self, x):
        return keras.ops.cond(keras.random.uniform([], seed=self.seed_generator) < self.p, lambda: 255 - x, lambda: x)


augmented = keras.Sequential([keras.Input((8, 8, 3)), RandomInvert(), keras.layers.Flatten(), keras.layers.Dense(2)])
augmented.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
augmented.fit(np.random.rand(16, 8, 8, 3).astype("float32"), np.random.randint(0, 2, 16), epochs=1, verbose=0)

dream_model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation="relu")])


def gradient_of(loss_fn, x):
    """The value of loss_fn at x and its gradient with respect to x, on the running backend."""
    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return jax.value_and_grad(loss_fn)(keras.ops.convert_to_tensor(x))
    if backend == "torch":
        import torch

        x = keras.ops.convert_to_tensor(x).detach().clone().requires_grad_(True)
        loss = loss_fn(x)
        return loss.detach(), torch.autograd.grad(loss, [x])[0]
    import tensorflow as tf

    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = loss_fn(x)
    return loss, tape.gradient(loss, x)


def calc_loss(img, model):
    activations = model(keras.ops.expand_dims(img, axis=0))
    return keras.ops.mean(activations)


class DeepDream:
    def __init__(self, model):
        self.model = model

    def __call__(self, img):
        return gradient_of(lambda x: calc_loss(x, self.model), img)


deepdream = DeepDream(dream_model)
loss, gradients = deepdream(np.random.rand(8).astype("float32"))
print("dream gradient", tuple(gradients.shape))

style_input = keras.Input((8, 8, 3))
features = keras.layers.Conv2D(2, 3)(style_input)
extractor = keras.Model(style_input, [features, keras.layers.GlobalAveragePooling2D()(features)])
image = keras.Variable(np.random.rand(1, 8, 8, 3).astype("float32"))
opt = keras.optimizers.Adam(0.02)


def train_step(image):
    _, grad = gradient_of(lambda x: keras.ops.mean(extractor(x)[1]), image.value)
    opt.apply_gradients([(grad, image)])


def total_variation(images):
    down = keras.ops.abs(images[:, 1:, :, :] - images[:, :-1, :, :])
    across = keras.ops.abs(images[:, :, 1:, :] - images[:, :, :-1, :])
    return keras.ops.sum(down, axis=(1, 2, 3)) + keras.ops.sum(across, axis=(1, 2, 3))


def tensor_to_image(tensor):
    return np.array(keras.ops.convert_to_numpy(tensor) * 255, dtype=np.uint8)


train_step(image)
train_step(image)
print("total variation", keras.ops.convert_to_numpy(total_variation(image.value)))
print("image", tensor_to_image(image).shape)
outputs = extractor(image.value)
for name, output in zip(["features", "pooled"], outputs):
    print(name, keras.ops.convert_to_numpy(output).shape)
print("DONE")
