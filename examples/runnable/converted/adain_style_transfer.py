"""Neural style transfer with AdaIN (in the style of the keras.io "Neural Style Transfer with AdaIN"
example, TF 2 era): frozen small encoder and loss network, AdaIN, a trainable decoder, a
NeuralStyleTransfer model with content + style losses and a TrainMonitor callback.

Hand conversion to multi-backend Keras 3: AdaIN uses keras.ops.moments and keras.ops.sqrt; the
tf.GradientTape train_step and the test_step become call() (encoder, AdaIN, decoder on the (style,
content) pair, returning the AdaIN target and the reconstruction) and a compute_loss() override
(content + style losses; the trackers are updated there), so fit() takes the gradient on every
backend and only the decoder, the one trainable part, is updated; the datasets yield ((style,
content),) so that the pair is the model's input; compile() passes the optimizer to
super().compile(); the tf.data pipeline stays TensorFlow and the callback's images are NumPy arrays
(keras.ops.convert_to_numpy)."""
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

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
    .map(lambda style, content: ((style, content),))
    .shuffle(BATCH_SIZE * 2)
    .batch(BATCH_SIZE)
    .prefetch(AUTOTUNE)
)
val_ds = (
    tf.data.Dataset.zip((style_ds.skip(12), content_ds.skip(12)))
    .map(lambda style, content: ((style, content),))
    .batch(BATCH_SIZE)
    .prefetch(AUTOTUNE)
)


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
    mean, variance = ops.moments(x, axes=axes, keepdims=True)
    standard_deviation = ops.sqrt(variance + epsilon)
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


class NeuralStyleTransfer(keras.Model):
    def __init__(self, encoder, decoder, loss_net, style_weight, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.loss_net = loss_net
        self.style_weight = style_weight

    def compile(self, optimizer, loss_fn):
        super().compile(optimizer=optimizer)
        self.loss_fn = loss_fn
        self.style_loss_tracker = keras.metrics.Mean(name="style_loss")
        self.content_loss_tracker = keras.metrics.Mean(name="content_loss")
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")

    def call(self, inputs):
        style, content = inputs
        # Encode the style and content image.
        style_encoded = self.encoder(style)
        content_encoded = self.encoder(content)

        # Compute the AdaIN target feature maps.
        t = ada_in(style=style_encoded, content=content_encoded)

        # Generate the neural style transferred image.
        reconstructed_image = self.decoder(t)
        return t, reconstructed_image

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        style, _ = x
        t, reconstructed_image = y_pred

        # Compute the losses.
        loss_style = 0.0
        reconstructed_vgg_features = self.loss_net(reconstructed_image)
        style_vgg_features = self.loss_net(style)
        loss_content = self.loss_fn(t, reconstructed_vgg_features[-1])
        for inp, out in zip(style_vgg_features, reconstructed_vgg_features):
            mean_inp, std_inp = get_mean_std(inp)
            mean_out, std_out = get_mean_std(out)
            loss_style += self.loss_fn(mean_inp, mean_out) + self.loss_fn(std_inp, std_out)
        loss_style = self.style_weight * loss_style
        total_loss = loss_content + loss_style

        # Update the trackers.
        self.style_loss_tracker.update_state(loss_style)
        self.content_loss_tracker.update_state(loss_content)
        self.total_loss_tracker.update_state(total_loss)
        return total_loss

    @property
    def metrics(self):
        return [
            self.style_loss_tracker,
            self.content_loss_tracker,
            self.total_loss_tracker,
        ]


(test_style, test_content), = next(iter(val_ds))
test_style, test_content = ops.convert_to_numpy(test_style), ops.convert_to_numpy(test_content)


class TrainMonitor(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        # Encode the style and content image.
        test_style_encoded = self.model.encoder(test_style)
        test_content_encoded = self.model.encoder(test_content)

        # Compute the AdaIN features.
        test_t = ada_in(style=test_style_encoded, content=test_content_encoded)
        test_reconstructed_image = self.model.decoder(test_t)

        # Save the style, content and reconstructed images (plt.imshow in the original).
        np.save(os.path.join(workdir, f"style_{epoch}.npy"), test_style[0])
        np.save(os.path.join(workdir, f"content_{epoch}.npy"), test_content[0])
        np.save(
            os.path.join(workdir, f"reconstructed_{epoch}.npy"), ops.convert_to_numpy(test_reconstructed_image[0])
        )


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
