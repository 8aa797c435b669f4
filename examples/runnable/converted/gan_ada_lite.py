"""Data-efficient GAN with adaptive discriminator augmentation (in the style of the keras.io "Data-
efficient GANs with Adaptive Discriminator Augmentation" example, TF 2 era, made small): an
adaptive augmenter with a probability variable, a KID metric, and a GAN_ADA model with two
optimizers, a persistent tape, an EMA generator and a test_step measuring KID.

Hand conversion to multi-backend Keras 3. The step trains two networks with two optimizers from one
forward pass, which no compute_loss() override expresses, so train_step dispatches on
keras.backend.backend(): a persistent tf.GradientTape on TensorFlow; torch.autograd.grad of each
loss on PyTorch (the optimizers applied under torch.no_grad); on JAX the forward pass runs in a
keras.StatelessScope mapping the two networks' trainable variables to traced values, jax.vjp gives
both losses' gradients, and the non-trainable values the pass updated (batch-norm statistics, seed
states) are assigned back. On JAX fit() and evaluate() call the steps with the state: they run
un-jitted (compile(jit_compile=False) there), put the state into the variables and hand back their
values. Random numbers come from keras.random with SeedGenerators; keras.ops replaces the TF ops;
the augmenter's probability is a non-trainable keras.Variable; sub-layers get training= as a
keyword (Keras 3 takes only tensors positionally); the model has no call() and the augmenter creates
its variable in __init__, so both mark themselves built."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

image_size = 16
kid_image_size = 16
noise_size = 16
batch_size = 8
max_translation = 0.125
max_zoom = 0.25
target_accuracy = 0.85
integration_steps = 1000
ema = 0.99

rng = np.random.default_rng(13)
images = rng.uniform(size=(48, image_size, image_size, 3)).astype("float32")
train_dataset = tf.data.Dataset.from_tensor_slices(images[:32]).shuffle(32).batch(batch_size, drop_remainder=True)
val_dataset = tf.data.Dataset.from_tensor_slices(images[32:]).batch(batch_size, drop_remainder=True)


# "hard sigmoid", useful for binary accuracy calculation from logits
def step(values):
    # negative values -> 0.0, positive values -> 1.0
    return 0.5 * (1.0 + ops.sign(values))


# augments images with a probability that is dynamically updated during training
class AdaptiveAugmenter(keras.Model):
    def __init__(self):
        super().__init__()

        # stores the current probability of an image being augmented
        self.probability = keras.Variable(0.0, trainable=False)
        self.seed_generator = keras.random.SeedGenerator(42)

        # the corresponding augmentation names from the paper are shown above each layer
        self.augmenter = keras.Sequential(
            [
                keras.Input(shape=(image_size, image_size, 3)),
                # blitting/x-flip:
                layers.RandomFlip("horizontal"),
                # blitting/integer translation:
                layers.RandomTranslation(
                    height_factor=max_translation,
                    width_factor=max_translation,
                    interpolation="nearest",
                ),
                # geometric/isotropic and anisotropic scaling:
                layers.RandomZoom(height_factor=(-max_zoom, 0.0), width_factor=(-max_zoom, 0.0)),
            ],
            name="adaptive_augmenter",
        )
        # Its variable and the Sequential (keras.Input) exist: built (fit() on JAX builds what is not).
        self.built = True

    def call(self, images, training=False):
        if training:
            augmented_images = self.augmenter(images, training=training)

            # during training either the original or the augmented images are selected based on
            # self.probability
            augmentation_values = keras.random.uniform(
                shape=(batch_size, 1, 1, 1), minval=0.0, maxval=1.0, seed=self.seed_generator
            )
            augmentation_bools = ops.less(augmentation_values, self.probability)

            images = ops.where(augmentation_bools, augmented_images, images)
        return images

    def update(self, real_logits):
        current_accuracy = ops.mean(step(real_logits))

        # the augmentation probability is updated based on the discriminator's
        # accuracy on real images
        accuracy_error = current_accuracy - target_accuracy
        self.probability.assign(
            ops.clip(self.probability + accuracy_error / integration_steps, 0.0, 1.0)
        )


class KID(keras.metrics.Metric):
    def __init__(self, name="kid", **kwargs):
        super().__init__(name=name, **kwargs)

        # KID is estimated per batch and is averaged across batches
        self.kid_tracker = keras.metrics.Mean()

        # a small frozen encoder stands in for a pretrained InceptionV3 without its classification layer
        self.encoder = keras.Sequential(
            [
                keras.Input(shape=(image_size, image_size, 3)),
                layers.Rescaling(255.0),
                layers.Resizing(height=kid_image_size, width=kid_image_size),
                layers.Rescaling(1.0 / 127.5, offset=-1),
                layers.Conv2D(8, 3, strides=2, activation="relu"),
                layers.GlobalAveragePooling2D(),
            ],
            name="inception_encoder",
        )
        self.encoder.trainable = False

    def polynomial_kernel(self, features_1, features_2):
        feature_dimensions = ops.cast(ops.shape(features_1)[1], dtype="float32")
        return (features_1 @ ops.transpose(features_2) / feature_dimensions + 1.0) ** 3.0

    def update_state(self, real_images, generated_images, sample_weight=None):
        real_features = self.encoder(real_images, training=False)
        generated_features = self.encoder(generated_images, training=False)

        # compute polynomial kernels using the two sets of features
        kernel_real = self.polynomial_kernel(real_features, real_features)
        kernel_generated = self.polynomial_kernel(generated_features, generated_features)
        kernel_cross = self.polynomial_kernel(real_features, generated_features)

        # estimate the squared maximum mean discrepancy using the average kernel values
        batch_size = ops.shape(real_features)[0]
        batch_size_f = ops.cast(batch_size, dtype="float32")
        mean_kernel_real = ops.sum(kernel_real * (1.0 - ops.eye(batch_size))) / (
            batch_size_f * (batch_size_f - 1.0)
        )
        mean_kernel_generated = ops.sum(kernel_generated * (1.0 - ops.eye(batch_size))) / (
            batch_size_f * (batch_size_f - 1.0)
        )
        mean_kernel_cross = ops.mean(kernel_cross)
        kid = mean_kernel_real + mean_kernel_generated - 2.0 * mean_kernel_cross

        # update the average KID estimate
        self.kid_tracker.update_state(kid)

    def result(self):
        return self.kid_tracker.result()

    def reset_state(self):
        self.kid_tracker.reset_state()


# DCGAN generator
def get_generator():
    noise_input = keras.Input(shape=(noise_size,))
    x = layers.Dense(4 * 4 * 16, use_bias=False)(noise_input)
    x = layers.BatchNormalization(scale=False)(x)
    x = layers.ReLU()(x)
    x = layers.Reshape(target_shape=(4, 4, 16))(x)
    x = layers.Conv2DTranspose(16, kernel_size=4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization(scale=False)(x)
    x = layers.ReLU()(x)
    image_output = layers.Conv2DTranspose(3, kernel_size=4, strides=2, padding="same", activation="sigmoid")(x)
    return keras.Model(noise_input, image_output, name="generator")


# DCGAN discriminator
def get_discriminator():
    image_input = keras.Input(shape=(image_size, image_size, 3))
    x = image_input
    x = layers.Conv2D(16, kernel_size=4, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization(scale=False)(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.4)(x)
    output_score = layers.Dense(1)(x)
    return keras.Model(image_input, output_score, name="discriminator")


class GAN_ADA(keras.Model):
    def __init__(self):
        super().__init__()

        self.augmenter = AdaptiveAugmenter()
        self.generator = get_generator()
        self.ema_generator = keras.models.clone_model(self.generator)
        self.discriminator = get_discriminator()
        self.seed_generator = keras.random.SeedGenerator(1337)
        # No call(): the networks are built already (keras.Input), so is this model.
        self.built = True

    def compile(self, generator_optimizer, discriminator_optimizer, **kwargs):
        # On JAX the steps update variables in place: un-jitted.
        super().compile(jit_compile=False if keras.backend.backend() == "jax" else "auto", **kwargs)

        # separate optimizers for the two networks
        self.generator_optimizer = generator_optimizer
        self.discriminator_optimizer = discriminator_optimizer

        self.generator_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.discriminator_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.real_accuracy = keras.metrics.BinaryAccuracy(name="real_acc")
        self.generated_accuracy = keras.metrics.BinaryAccuracy(name="gen_acc")
        self.augmentation_probability_tracker = keras.metrics.Mean(name="aug_p")
        self.kid = KID()

    @property
    def metrics(self):
        return [
            self.generator_loss_tracker,
            self.discriminator_loss_tracker,
            self.real_accuracy,
            self.generated_accuracy,
            self.augmentation_probability_tracker,
            self.kid,
        ]

    def generate(self, batch_size, training):
        latent_samples = keras.random.normal(shape=(batch_size, noise_size), seed=self.seed_generator)
        # use ema_generator during inference
        if training:
            generated_images = self.generator(latent_samples, training=training)
        else:
            generated_images = self.ema_generator(latent_samples, training=training)
        return generated_images

    def adversarial_loss(self, real_logits, generated_logits):
        # this is usually called the non-saturating GAN loss

        real_labels = ops.ones(shape=(batch_size, 1))
        generated_labels = ops.zeros(shape=(batch_size, 1))

        # the generator tries to produce images that the discriminator considers as real
        generator_loss = keras.losses.binary_crossentropy(real_labels, generated_logits, from_logits=True)
        # the discriminator tries to determine if images are real or generated
        discriminator_loss = keras.losses.binary_crossentropy(
            ops.concatenate([real_labels, generated_labels], axis=0),
            ops.concatenate([real_logits, generated_logits], axis=0),
            from_logits=True,
        )

        return ops.mean(generator_loss), ops.mean(discriminator_loss)

    def forward(self, real_images):
        generated_images = self.generate(batch_size, training=True)
        # gradient is calculated through the image augmentation
        generated_images = self.augmenter(generated_images, training=True)

        # separate forward passes for the real and generated images, meaning
        # that batch normalization is applied separately
        real_logits = self.discriminator(real_images, training=True)
        generated_logits = self.discriminator(generated_images, training=True)

        generator_loss, discriminator_loss = self.adversarial_loss(real_logits, generated_logits)
        return generator_loss, discriminator_loss, real_logits, generated_logits

    def train_step(self, *args):
        if keras.backend.backend() == "jax":
            state, real_images = args
            self._assign_state(state)
            logs = self._train_step(real_images)
            return logs, self._state(len(state))
        return self._train_step(*args)

    def test_step(self, *args):
        if keras.backend.backend() == "jax":
            state, real_images = args
            self._assign_state(state, test=True)
            logs = self._test_step(real_images)
            return logs, self._state(len(state), test=True)
        return self._test_step(*args)

    def _state_variables(self, test=False):
        if test:
            return (self.trainable_variables, self.non_trainable_variables, self.metrics_variables)
        return (self.trainable_variables, self.non_trainable_variables, self.optimizer.variables, self.metrics_variables)

    def _assign_state(self, state, test=False):
        # JAX: fit() and evaluate() detach the variables' values during an epoch and hand them to
        # the step; un-jitted, the step puts them back and updates the variables in place.
        for variables, values in zip(self._state_variables(test), state):
            for v, value in zip(variables, values):
                v.assign(value)

    def _state(self, size, test=False):
        return tuple([v.value for v in variables] for variables in self._state_variables(test))[:size]

    def _gradients(self, real_images):
        """Both losses, the logits and the two networks' gradients, on the current backend."""
        g_vars = self.generator.trainable_weights
        d_vars = self.discriminator.trainable_weights
        backend = keras.backend.backend()
        if backend == "tensorflow":
            # use persistent gradient tape because gradients will be calculated twice
            with tf.GradientTape(persistent=True) as tape:
                generator_loss, discriminator_loss, real_logits, generated_logits = self.forward(real_images)
            generator_gradients = tape.gradient(generator_loss, g_vars)
            discriminator_gradients = tape.gradient(discriminator_loss, d_vars)
        elif backend == "torch":
            import torch

            generator_loss, discriminator_loss, real_logits, generated_logits = self.forward(real_images)
            generator_gradients = torch.autograd.grad(generator_loss, [v.value for v in g_vars], retain_graph=True)
            discriminator_gradients = torch.autograd.grad(discriminator_loss, [v.value for v in d_vars])
        else:
            import jax

            tracked = self.non_trainable_variables

            def losses(g_values, d_values):
                mapping = list(zip(g_vars, g_values)) + list(zip(d_vars, d_values))
                with keras.StatelessScope(state_mapping=mapping) as scope:
                    generator_loss, discriminator_loss, real_logits, generated_logits = self.forward(real_images)
                    updates = [scope.get_current_value(v) for v in tracked]
                return (generator_loss, discriminator_loss), (real_logits, generated_logits, updates)

            (generator_loss, discriminator_loss), pullback, (real_logits, generated_logits, updates) = jax.vjp(
                losses, [v.value for v in g_vars], [v.value for v in d_vars], has_aux=True
            )
            generator_gradients, _ = pullback((1.0, 0.0))
            _, discriminator_gradients = pullback((0.0, 1.0))
            # batch-norm statistics and seed states the forward pass updated
            for v, value in zip(tracked, updates):
                if value is not None:
                    v.assign(value)
        return generator_loss, discriminator_loss, real_logits, generated_logits, generator_gradients, discriminator_gradients

    def _train_step(self, real_images):
        real_images = self.augmenter(real_images, training=True)

        (
            generator_loss,
            discriminator_loss,
            real_logits,
            generated_logits,
            generator_gradients,
            discriminator_gradients,
        ) = self._gradients(real_images)

        # update weights
        g_vars = self.generator.trainable_weights
        d_vars = self.discriminator.trainable_weights
        if keras.backend.backend() == "torch":
            import torch

            with torch.no_grad():
                self.generator_optimizer.apply_gradients(zip(generator_gradients, g_vars))
                self.discriminator_optimizer.apply_gradients(zip(discriminator_gradients, d_vars))
        else:
            self.generator_optimizer.apply_gradients(zip(generator_gradients, g_vars))
            self.discriminator_optimizer.apply_gradients(zip(discriminator_gradients, d_vars))

        # update the augmentation probability based on the discriminator's performance
        self.augmenter.update(ops.stop_gradient(real_logits))

        self.generator_loss_tracker.update_state(generator_loss)
        self.discriminator_loss_tracker.update_state(discriminator_loss)
        self.real_accuracy.update_state(ops.ones_like(real_logits), step(real_logits))
        self.generated_accuracy.update_state(ops.zeros_like(generated_logits), step(generated_logits))
        self.augmentation_probability_tracker.update_state(self.augmenter.probability)

        # track the exponential moving average of the generator's weights to decrease
        # variance in the generation quality
        for weight, ema_weight in zip(self.generator.weights, self.ema_generator.weights):
            ema_weight.assign(ema * ema_weight + (1 - ema) * weight)

        # KID is not measured during the training phase for computational efficiency
        return {m.name: m.result() for m in self.metrics[:-1]}

    def _test_step(self, real_images):
        generated_images = self.generate(batch_size, training=False)

        self.kid.update_state(real_images, generated_images)

        # only KID is measured during the evaluation phase for computational efficiency
        return {self.kid.name: self.kid.result()}


model = GAN_ADA()
model.compile(
    generator_optimizer=keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5),
    discriminator_optimizer=keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5),
)
before = model.generator.get_weights()[0].copy()
history = model.fit(train_dataset, epochs=1, validation_data=val_dataset, verbose=2)
print({k: round(float(v[-1]), 4) for k, v in history.history.items()})
assert "val_kid" in history.history, history.history.keys()
assert not np.allclose(before, model.generator.get_weights()[0]), "generator not trained"
assert 0.0 <= float(ops.convert_to_numpy(model.augmenter.probability)) <= 1.0
samples = model.generate(4, training=False)
print("samples", samples.shape)
print("gan ada ok")
