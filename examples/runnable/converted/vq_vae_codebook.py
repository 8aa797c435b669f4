"""Hand conversion to multi-backend Keras 3: the codebook made with add_weight, keras.ops in the
quantizer (ops.one_hot, ops.matmul with ops.transpose, ops.argmin, ops.stop_gradient), the trainer's
train_step turned into call() + compute_loss() (the quantizer loss read from self.losses: on JAX the inner model's .losses is empty there),
and the code lookups after training done with keras.ops and ops.convert_to_numpy.

Vector-quantized VAE on tiny synthetic digits (in the style of the tf.keras-era keras.io
"Vector-Quantized Variational Autoencoders" example): a VectorQuantizer layer holding its codebook
as a tf.Variable made in __init__ from tf.random_uniform_initializer, quantizing with tf.reshape,
tf.one_hot, tf.matmul(transpose_b=True), tf.argmin and tf.stop_gradient (straight-through
estimator) and adding its codebook/commitment loss with self.add_loss; a decoder whose Input shape
comes from get_encoder(...).output.shape[1:]; a VQVAETrainer keras.models.Model without call()
whose train_step runs the inner functional model under tf.GradientTape and adds
sum(self.vqvae.losses); then code indices from quantizer.get_code_indices(...).numpy() on a NumPy
array and generation from sampled codes with tf.one_hot(...).numpy(), tf.matmul against
quantizer.embeddings and tf.reshape before decoder.predict."""
import numpy as np
import keras
from keras import layers, ops

np.random.seed(0)
keras.utils.set_random_seed(0)


class VectorQuantizer(layers.Layer):
    def __init__(self, num_embeddings, embedding_dim, beta=0.25, **kwargs):
        super().__init__(**kwargs)
        self.embedding_dim = embedding_dim
        self.num_embeddings = num_embeddings

        # The `beta` parameter is best kept between [0.25, 2] as per the paper.
        self.beta = beta

        # Initialize the embeddings which we will quantize.
        self.embeddings = self.add_weight(
            shape=(self.embedding_dim, self.num_embeddings),
            initializer=keras.initializers.RandomUniform(-0.05, 0.05),
            trainable=True,
            name="embeddings_vqvae",
        )

    def call(self, x):
        # Calculate the input shape of the inputs and
        # then flatten the inputs keeping `embedding_dim` intact.
        input_shape = ops.shape(x)
        flattened = ops.reshape(x, [-1, self.embedding_dim])

        # Quantization.
        encoding_indices = self.get_code_indices(flattened)
        encodings = ops.one_hot(encoding_indices, self.num_embeddings)
        quantized = ops.matmul(encodings, ops.transpose(self.embeddings))

        # Reshape the quantized values back to the original input shape
        quantized = ops.reshape(quantized, input_shape)

        # Calculate vector quantization loss and add that to the layer.
        commitment_loss = ops.mean((ops.stop_gradient(quantized) - x) ** 2)
        codebook_loss = ops.mean((quantized - ops.stop_gradient(x)) ** 2)
        self.add_loss(self.beta * commitment_loss + codebook_loss)

        # Straight-through estimator.
        quantized = x + ops.stop_gradient(quantized - x)
        return quantized

    def get_code_indices(self, flattened_inputs):
        # Calculate L2-normalized distance between the inputs and the codes.
        similarity = ops.matmul(flattened_inputs, self.embeddings)
        distances = (
            ops.sum(flattened_inputs ** 2, axis=1, keepdims=True)
            + ops.sum(self.embeddings ** 2, axis=0)
            - 2 * similarity
        )

        # Derive the indices for minimum distances.
        encoding_indices = ops.argmin(distances, axis=1)
        return encoding_indices


def get_encoder(latent_dim=16):
    encoder_inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(8, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
    x = layers.Conv2D(16, 3, activation="relu", strides=2, padding="same")(x)
    encoder_outputs = layers.Conv2D(latent_dim, 1, padding="same")(x)
    return keras.Model(encoder_inputs, encoder_outputs, name="encoder")


def get_decoder(latent_dim=16):
    latent_inputs = keras.Input(shape=get_encoder(latent_dim).output.shape[1:])
    x = layers.Conv2DTranspose(16, 3, activation="relu", strides=2, padding="same")(latent_inputs)
    x = layers.Conv2DTranspose(8, 3, activation="relu", strides=2, padding="same")(x)
    decoder_outputs = layers.Conv2DTranspose(1, 3, padding="same")(x)
    return keras.Model(latent_inputs, decoder_outputs, name="decoder")


def get_vqvae(latent_dim=16, num_embeddings=64):
    vq_layer = VectorQuantizer(num_embeddings, latent_dim, name="vector_quantizer")
    encoder = get_encoder(latent_dim)
    decoder = get_decoder(latent_dim)
    inputs = keras.Input(shape=(28, 28, 1))
    encoder_outputs = encoder(inputs)
    quantized_latents = vq_layer(encoder_outputs)
    reconstructions = decoder(quantized_latents)
    return keras.Model(inputs, reconstructions, name="vq_vae")


get_vqvae().summary()


class VQVAETrainer(keras.models.Model):
    def __init__(self, train_variance, latent_dim=32, num_embeddings=128, **kwargs):
        super(VQVAETrainer, self).__init__(**kwargs)
        self.train_variance = train_variance
        self.latent_dim = latent_dim
        self.num_embeddings = num_embeddings

        self.vqvae = get_vqvae(self.latent_dim, self.num_embeddings)

        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.vq_loss_tracker = keras.metrics.Mean(name="vq_loss")

    @property
    def metrics(self):
        return [
            self.total_loss_tracker,
            self.reconstruction_loss_tracker,
            self.vq_loss_tracker,
        ]

    def call(self, x):
        # Outputs from the VQ-VAE.
        return self.vqvae(x)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        # Calculate the losses.
        reconstruction_loss = ops.mean((x - y_pred) ** 2) / self.train_variance
        vq_loss = sum(self.losses)  # the quantizer's add_loss, collected by the trainer on every backend
        total_loss = reconstruction_loss + vq_loss

        # Loss tracking.
        self.total_loss_tracker.update_state(total_loss)
        self.reconstruction_loss_tracker.update_state(reconstruction_loss)
        self.vq_loss_tracker.update_state(vq_loss)
        return total_loss


# Synthetic stand-in for MNIST: blurry blobs, uint8 like load_data() gives.
rng = np.random.default_rng(0)
x_train = (rng.random((64, 7, 7)) > 0.6).repeat(4, axis=1).repeat(4, axis=2).astype("uint8") * 255
x_test = (rng.random((16, 7, 7)) > 0.6).repeat(4, axis=1).repeat(4, axis=2).astype("uint8") * 255

x_train = np.expand_dims(x_train, -1)
x_test = np.expand_dims(x_test, -1)
x_train_scaled = (x_train / 255.0) - 0.5
x_test_scaled = (x_test / 255.0) - 0.5

data_variance = np.var(x_train / 255.0)

vqvae_trainer = VQVAETrainer(data_variance, latent_dim=8, num_embeddings=16)
vqvae_trainer.compile(optimizer=keras.optimizers.Adam())
vqvae_trainer.fit(x_train_scaled, epochs=2, batch_size=16, verbose=2)

# Reconstruction results on the test set.
trained_vqvae_model = vqvae_trainer.vqvae
idx = np.random.choice(len(x_test_scaled), 4)
test_images = x_test_scaled[idx]
reconstructions_test = trained_vqvae_model.predict(test_images, verbose=0)
print("reconstructions", reconstructions_test.shape)

# Visualizing the discrete codes.
encoder = vqvae_trainer.vqvae.get_layer("encoder")
quantizer = vqvae_trainer.vqvae.get_layer("vector_quantizer")

encoded_outputs = encoder.predict(test_images, verbose=0)
flat_enc_outputs = encoded_outputs.reshape(-1, encoded_outputs.shape[-1])
codebook_indices = quantizer.get_code_indices(flat_enc_outputs)
codebook_indices = ops.convert_to_numpy(codebook_indices).reshape(encoded_outputs.shape[:-1])
print("codes", codebook_indices.shape, codebook_indices.dtype)

# Generating new images from sampled codes (a PixelCNN prior stands behind these in the full
# example; uniformly sampled codes here).
priors = rng.integers(0, vqvae_trainer.num_embeddings, size=(3,) + encoded_outputs.shape[1:-1])
pretrained_embeddings = quantizer.embeddings
priors_ohe = ops.convert_to_numpy(ops.one_hot(priors.astype("int32"), vqvae_trainer.num_embeddings))
quantized = ops.matmul(
    priors_ohe.astype("float32"), ops.transpose(pretrained_embeddings)
)
quantized = ops.reshape(quantized, (-1, *(encoded_outputs.shape[1:])))

# Generate novel images.
decoder = vqvae_trainer.vqvae.get_layer("decoder")
generated_samples = decoder.predict(ops.convert_to_numpy(quantized), verbose=0)
assert generated_samples.shape == (3, 28, 28, 1)
print("vq-vae ok")
