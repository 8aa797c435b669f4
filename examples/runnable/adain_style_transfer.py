"""Neural style transfer with AdaIN (in the style of the keras.io "Neural Style Transfer with AdaIN"
example, TF 2 era): a frozen small convolutional encoder stands in for the truncated VGG19 (no
ImageNet download) and a frozen multi-output loss network for the VGG feature extractor; AdaIN with
tf.nn.moments and tf.sqrt; a Sequential decoder with UpSampling2D; a NeuralStyleTransfer
tf.keras.Model without call() whose compile(optimizer, loss_fn) sets self.optimizer, a metrics
property, a train_step under tf.GradientTape that trains the decoder alone with content + style
losses, a test_step; a tf.data pipeline zipping style and content images decoded and resized with
tf.image, and a TrainMonitor callback running encoder / AdaIN / decoder and saving with .numpy()."""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

IMAGE_SIZE = (16, 16)
BATCH_SIZE = 4
EPOCHS = 1
AUTOTUNE = tf.data.AUTOTUNE
workdir = tempfile.mkdtemp()

rng = np.random.default_rng(3)
style_images = rng.integers(0, 256, size=(16, 20, 20, 3)).astype("uint8")
content_images = rng.integers(0, 256, size=(16, 24, 24, 3)).astype("uint8")


def decode_and_resize(image):
    image = tf.image.convert_image_dtype(image, dtype="float32")
    image = tf.image.resize(image, IMAGE_SIZE)
    return image


style_ds = tf.data.Dataset.from_tensor_slices(style_images).map(decode_and_resize, num_parallel_calls=AUTOTUNE)
content_ds = tf.data.Dataset.from_tensor_slices(content_images).map(decode_and_resize, num_parallel_calls=AUTOTUNE)
train_ds = (
    tf.data.Dataset.zip((style_ds.take(12), content_ds.take(12)))
    .shuffle(BATCH_SIZE * 2)
    .batch(BATCH_SIZE)
    .prefetch(AUTOTUNE)
)
val_ds = tf.data.Dataset.zip((style_ds.skip(12), content_ds.skip(12))).batch(BATCH_SIZE).prefetch(AUTOTUNE)


def get_vgg_like():
    # Stands in for keras.applications.VGG19(include_top=False, weights="imagenet").
    inputs = layers.Input([*IMAGE_SIZE, 3])
    x = layers.Conv2D(8, 3, padding="same", activation="relu", name="block1_conv1")(inputs)
    x = layers.MaxPooling2D(2, name="block1_pool")(x)
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="block2_conv1")(x)
    x = layers.MaxPooling2D(2, name="block2_pool")(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="block3_conv1")(x)
    return keras.Model(inputs, x, name="vgg_like")


vgg = get_vgg_like()
vgg.trainable = False


def get_encoder():
    mini_vgg = keras.Model(vgg.input, vgg.get_layer("block3_conv1").output)
    inputs = layers.Input([*IMAGE_SIZE, 3])
    mini_vgg_out = mini_vgg(inputs)
    return keras.Model(inputs, mini_vgg_out, name="mini_vgg")


def get_mean_std(x, epsilon=1e-5):
    axes = [1, 2]
    # Compute the mean and standard deviation of a tensor.
    mean, variance = tf.nn.moments(x, axes=axes, keepdims=True)
    standard_deviation = tf.sqrt(variance + epsilon)
    return mean, standard_deviation


def ada_in(style, content):
    """Computes the AdaIn feature map."""
    content_mean, content_std = get_mean_std(content)
    style_mean, style_std = get_mean_std(style)
    t = style_std * (content - content_mean) / content_std + style_mean
    return t


def get_decoder():
    config = {"kernel_size": 3, "strides": 1, "padding": "same", "activation": "relu"}
    decoder = keras.Sequential(
        [
            layers.InputLayer((None, None, 32)),
            layers.Conv2D(filters=16, **config),
            layers.UpSampling2D(),
            layers.Conv2D(filters=16, **config),
            layers.UpSampling2D(),
            layers.Conv2D(filters=8, **config),
            layers.Conv2D(filters=3, kernel_size=3, strides=1, padding="same", activation="sigmoid"),
        ]
    )
    return decoder


def get_loss_net():
    layer_names = ["block1_conv1", "block2_conv1", "block3_conv1"]
    outputs = [vgg.get_layer(name).output for name in layer_names]
    mini_vgg = keras.Model(vgg.input, outputs)
    inputs = layers.Input([*IMAGE_SIZE, 3])
    mini_vgg_out = mini_vgg(inputs)
    return keras.Model(inputs, mini_vgg_out, name="loss_net")


class NeuralStyleTransfer(tf.keras.Model):
    def __init__(self, encoder, decoder, loss_net, style_weight, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.loss_net = loss_net
        self.style_weight = style_weight

    def compile(self, optimizer, loss_fn):
        super().compile()
        self.optimizer = optimizer
        self.loss_fn = loss_fn
        self.style_loss_tracker = keras.metrics.Mean(name="style_loss")
        self.content_loss_tracker = keras.metrics.Mean(name="content_loss")
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")

    def train_step(self, inputs):
        style, content = inputs

        # Initialize the content and style loss.
        loss_content = 0.0
        loss_style = 0.0

        with tf.GradientTape() as tape:
            # Encode the style and content image.
            style_encoded = self.encoder(style)
            content_encoded = self.encoder(content)

            # Compute the AdaIN target feature maps.
            t = ada_in(style=style_encoded, content=content_encoded)

            # Generate the neural style transferred image.
            reconstructed_image = self.decoder(t)

            # Compute the losses.
            reconstructed_vgg_features = self.loss_net(reconstructed_image)
            style_vgg_features = self.loss_net(style)
            loss_content = self.loss_fn(t, reconstructed_vgg_features[-1])
            for inp, out in zip(style_vgg_features, reconstructed_vgg_features):
                mean_inp, std_inp = get_mean_std(inp)
                mean_out, std_out = get_mean_std(out)
                loss_style += self.loss_fn(mean_inp, mean_out) + self.loss_fn(std_inp, std_out)
            loss_style = self.style_weight * loss_style
            total_loss = loss_content + loss_style

        # Compute gradients and optimize the decoder.
        trainable_vars = self.decoder.trainable_variables
        gradients = tape.gradient(total_loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))

        # Update the trackers.
        self.style_loss_tracker.update_state(loss_style)
        self.content_loss_tracker.update_state(loss_content)
        self.total_loss_tracker.update_state(total_loss)
        return {
            "style_loss": self.style_loss_tracker.result(),
            "content_loss": self.content_loss_tracker.result(),
            "total_loss": self.total_loss_tracker.result(),
        }

    def test_step(self, inputs):
        style, content = inputs

        # Initialize the content and style loss.
        loss_content = 0.0
        loss_style = 0.0

        # Encode the style and content image.
        style_encoded = self.encoder(style)
        content_encoded = self.encoder(content)

        # Compute the AdaIN target feature maps.
        t = ada_in(style=style_encoded, content=content_encoded)

        # Generate the neural style transferred image.
        reconstructed_image = self.decoder(t)

        # Compute the losses.
        recons_vgg_features = self.loss_net(reconstructed_image)
        style_vgg_features = self.loss_net(style)
        loss_content = self.loss_fn(t, recons_vgg_features[-1])
        for inp, out in zip(style_vgg_features, recons_vgg_features):
            mean_inp, std_inp = get_mean_std(inp)
            mean_out, std_out = get_mean_std(out)
            loss_style += self.loss_fn(mean_inp, mean_out) + self.loss_fn(std_inp, std_out)
        loss_style = self.style_weight * loss_style
        total_loss = loss_content + loss_style

        # Update the trackers.
        self.style_loss_tracker.update_state(loss_style)
        self.content_loss_tracker.update_state(loss_content)
        self.total_loss_tracker.update_state(total_loss)
        return {
            "style_loss": self.style_loss_tracker.result(),
            "content_loss": self.content_loss_tracker.result(),
            "total_loss": self.total_loss_tracker.result(),
        }

    @property
    def metrics(self):
        return [
            self.style_loss_tracker,
            self.content_loss_tracker,
            self.total_loss_tracker,
        ]


test_style, test_content = next(iter(val_ds))


class TrainMonitor(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        # Encode the style and content image.
        test_style_encoded = self.model.encoder(test_style)
        test_content_encoded = self.model.encoder(test_content)

        # Compute the AdaIN features.
        test_t = ada_in(style=test_style_encoded, content=test_content_encoded)
        test_reconstructed_image = self.model.decoder(test_t)

        # Save the style, content and reconstructed images (plt.imshow in the original).
        np.save(os.path.join(workdir, f"style_{epoch}.npy"), test_style[0].numpy())
        np.save(os.path.join(workdir, f"content_{epoch}.npy"), test_content[0].numpy())
        np.save(os.path.join(workdir, f"reconstructed_{epoch}.npy"), test_reconstructed_image[0].numpy())


optimizer = keras.optimizers.Adam(learning_rate=1e-3)
loss_fn = keras.losses.MeanSquaredError()

encoder = get_encoder()
loss_net = get_loss_net()
decoder = get_decoder()

model = NeuralStyleTransfer(encoder=encoder, decoder=decoder, loss_net=loss_net, style_weight=4.0)
model.compile(optimizer=optimizer, loss_fn=loss_fn)

before = decoder.get_weights()[0].copy()
history = model.fit(
    train_ds,
    epochs=EPOCHS,
    steps_per_epoch=2,
    validation_data=val_ds,
    validation_steps=1,
    callbacks=[TrainMonitor()],
    verbose=2,
)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})
assert "val_total_loss" in history.history
assert not np.allclose(before, decoder.get_weights()[0]), "decoder not trained"
assert len([f for f in os.listdir(workdir) if f.endswith(".npy")]) == 3
print("adain style transfer ok")
