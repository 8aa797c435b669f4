"""Masked image modelling (keras.io masked autoencoder example), converted by hand to
multi-backend Keras 3: keras.ops for the patch and masking code (ops.image.extract_patches,
ops.take_along_axis for the batched gather, ops.argsort of keras.random.uniform with a
SeedGenerator), the mask token made with add_weight, and the custom train_step/test_step replaced
by call() returning the masked patches and their reconstruction, with compute_loss and
compute_metrics overrides comparing the two; data as NumPy arrays instead of tf.data."""
import numpy as np
import keras
from keras import layers, ops

IMAGE_SIZE = 16
PATCH_SIZE = 4
NUM_PATCHES = (IMAGE_SIZE // PATCH_SIZE) ** 2
MASK_PROPORTION = 0.75
ENC_PROJECTION_DIM = 16
DEC_PROJECTION_DIM = 8
BATCH_SIZE = 16

rng = np.random.default_rng(4)
x_train = rng.uniform(size=(64, IMAGE_SIZE, IMAGE_SIZE, 3)).astype("float32")
y_train = (x_train[..., 0].mean(axis=(1, 2)) > 0.5).astype("int64")


def get_train_augmentation_model():
    model = keras.Sequential(
        [layers.Rescaling(1.0), layers.RandomFlip("horizontal")],
        name="train_data_augmentation",
    )
    return model


def get_test_augmentation_model():
    model = keras.Sequential([layers.Rescaling(1.0)], name="test_data_augmentation")
    return model


class Patches(layers.Layer):
    def __init__(self, patch_size=PATCH_SIZE, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size
        self.resize = layers.Reshape((-1, patch_size * patch_size * 3))

    def call(self, images):
        patches = ops.image.extract_patches(images, size=self.patch_size, strides=self.patch_size, padding="valid")
        patches = self.resize(patches)
        return patches

    def reconstruct_from_patch(self, patch):
        num_patches = patch.shape[0]
        n = int(np.sqrt(num_patches))
        patch = ops.reshape(patch, (num_patches, self.patch_size, self.patch_size, 3))
        rows = ops.split(patch, n, axis=0)
        rows = [ops.concatenate(ops.unstack(x), axis=1) for x in rows]
        reconstructed = ops.concatenate(rows, axis=0)
        return reconstructed


class PatchEncoder(layers.Layer):
    def __init__(
        self,
        patch_size=PATCH_SIZE,
        projection_dim=ENC_PROJECTION_DIM,
        mask_proportion=MASK_PROPORTION,
        downstream=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.patch_size = patch_size
        self.projection_dim = projection_dim
        self.mask_proportion = mask_proportion
        self.downstream = downstream
        # This is a trainable mask token initialized randomly from a normal distribution.
        self.mask_token = self.add_weight(
            shape=(1, patch_size * patch_size * 3), initializer="random_normal", trainable=True, name="mask_token"
        )
        self.seed_generator = keras.random.SeedGenerator(1337)

    def build(self, input_shape):
        (_, self.num_patches, self.patch_area) = input_shape
        self.projection = layers.Dense(units=self.projection_dim)
        self.position_embedding = layers.Embedding(input_dim=self.num_patches, output_dim=self.projection_dim)
        self.num_mask = int(self.mask_proportion * self.num_patches)

    def call(self, patches):
        batch_size = ops.shape(patches)[0]
        positions = ops.arange(0, self.num_patches, 1)
        pos_embeddings = self.position_embedding(positions[None, ...])
        pos_embeddings = ops.tile(pos_embeddings, [batch_size, 1, 1])
        patch_embeddings = self.projection(patches) + pos_embeddings
        if self.downstream:
            return patch_embeddings
        else:
            mask_indices, unmask_indices = self.get_random_indices(batch_size)
            unmasked_embeddings = ops.take_along_axis(patch_embeddings, unmask_indices[..., None], axis=1)
            unmasked_positions = ops.take_along_axis(pos_embeddings, unmask_indices[..., None], axis=1)
            masked_positions = ops.take_along_axis(pos_embeddings, mask_indices[..., None], axis=1)
            mask_tokens = ops.repeat(self.mask_token, repeats=self.num_mask, axis=0)
            mask_tokens = ops.repeat(mask_tokens[None, ...], repeats=batch_size, axis=0)
            masked_embeddings = self.projection(mask_tokens) + masked_positions
            return (unmasked_embeddings, masked_embeddings, unmasked_positions, mask_indices, unmask_indices)

    def get_random_indices(self, batch_size):
        rand_indices = ops.argsort(keras.random.uniform(shape=(batch_size, self.num_patches), seed=self.seed_generator), axis=-1)
        mask_indices = rand_indices[:, : self.num_mask]
        unmask_indices = rand_indices[:, self.num_mask :]
        return mask_indices, unmask_indices


def mlp(x, dropout_rate, hidden_units):
    for units in hidden_units:
        x = layers.Dense(units, activation="gelu")(x)
        x = layers.Dropout(dropout_rate)(x)
    return x


def create_encoder(num_heads=2, num_layers=1):
    inputs = layers.Input((None, ENC_PROJECTION_DIM))
    x = inputs
    for _ in range(num_layers):
        x1 = layers.LayerNormalization(epsilon=1e-6)(x)
        attention_output = layers.MultiHeadAttention(num_heads=num_heads, key_dim=ENC_PROJECTION_DIM, dropout=0.1)(x1, x1)
        x2 = layers.Add()([attention_output, x])
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        x3 = mlp(x3, hidden_units=[ENC_PROJECTION_DIM * 2, ENC_PROJECTION_DIM], dropout_rate=0.1)
        x = layers.Add()([x3, x2])
    outputs = layers.LayerNormalization(epsilon=1e-6)(x)
    return keras.Model(inputs, outputs, name="mae_encoder")


def create_decoder(num_layers=1, num_heads=2, image_size=IMAGE_SIZE):
    inputs = layers.Input((NUM_PATCHES, ENC_PROJECTION_DIM))
    x = layers.Dense(DEC_PROJECTION_DIM)(inputs)
    for _ in range(num_layers):
        x1 = layers.LayerNormalization(epsilon=1e-6)(x)
        attention_output = layers.MultiHeadAttention(num_heads=num_heads, key_dim=DEC_PROJECTION_DIM, dropout=0.1)(x1, x1)
        x2 = layers.Add()([attention_output, x])
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        x3 = mlp(x3, hidden_units=[DEC_PROJECTION_DIM * 2, DEC_PROJECTION_DIM], dropout_rate=0.1)
        x = layers.Add()([x3, x2])
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    x = layers.Flatten()(x)
    pre_final = layers.Dense(units=image_size * image_size * 3, activation="sigmoid")(x)
    outputs = layers.Reshape((image_size, image_size, 3))(pre_final)
    return keras.Model(inputs, outputs, name="mae_decoder")


class MaskedAutoencoder(keras.Model):
    def __init__(self, train_augmentation_model, test_augmentation_model, patch_layer, patch_encoder, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.train_augmentation_model = train_augmentation_model
        self.test_augmentation_model = test_augmentation_model
        self.patch_layer = patch_layer
        self.patch_encoder = patch_encoder
        self.encoder = encoder
        self.decoder = decoder

    def call(self, images, training=False):
        if training:
            augmented_images = self.train_augmentation_model(images, training=training)
        else:
            augmented_images = self.test_augmentation_model(images, training=training)
        patches = self.patch_layer(augmented_images)
        (unmasked_embeddings, masked_embeddings, unmasked_positions, mask_indices, unmask_indices) = self.patch_encoder(patches)
        encoder_outputs = self.encoder(unmasked_embeddings, training=training)
        encoder_outputs = encoder_outputs + unmasked_positions
        decoder_inputs = ops.concatenate([encoder_outputs, masked_embeddings], axis=1)
        decoder_outputs = self.decoder(decoder_inputs, training=training)
        decoder_patches = self.patch_layer(decoder_outputs)
        loss_patch = ops.take_along_axis(patches, mask_indices[..., None], axis=1)
        loss_output = ops.take_along_axis(decoder_patches, mask_indices[..., None], axis=1)
        return loss_patch, loss_output

    # fit()/evaluate() give no targets: the masked patches are the targets of the reconstruction.
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss_patch, loss_output = y_pred
        return super().compute_loss(x=x, y=loss_patch, y_pred=loss_output, sample_weight=sample_weight, training=training)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        loss_patch, loss_output = y_pred
        return super().compute_metrics(x, loss_patch, loss_output, sample_weight=sample_weight)


train_augmentation_model = get_train_augmentation_model()
test_augmentation_model = get_test_augmentation_model()
patch_layer = Patches()
patch_encoder = PatchEncoder()
encoder = create_encoder()
decoder = create_decoder()

mae_model = MaskedAutoencoder(
    train_augmentation_model=train_augmentation_model,
    test_augmentation_model=test_augmentation_model,
    patch_layer=patch_layer,
    patch_encoder=patch_encoder,
    encoder=encoder,
    decoder=decoder,
)
optimizer = keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4)
mae_model.compile(optimizer=optimizer, loss=keras.losses.MeanSquaredError(), metrics=["mae"])
history = mae_model.fit(x_train, batch_size=BATCH_SIZE, epochs=2, validation_data=(x_train[:32],), verbose=0)
print("mae history:", {k: round(float(v[-1]), 4) for k, v in history.history.items()})

# Show a reconstruction of one image from its patches.
test_patches = patch_layer(x_train[:1])
reconstructed = patch_layer.reconstruct_from_patch(test_patches[0])
print("reconstructed shape:", reconstructed.shape, "max error:", float(np.abs(ops.convert_to_numpy(reconstructed) - x_train[0]).max()))

# Downstream: a linear probe on the frozen encoder.
encoder.trainable = False
patch_encoder.downstream = True
downstream_model = keras.Sequential(
    [
        layers.Input((IMAGE_SIZE, IMAGE_SIZE, 3)),
        patch_layer,
        patch_encoder,
        encoder,
        layers.BatchNormalization(),
        layers.GlobalAveragePooling1D(),
        layers.Dense(2, activation="softmax"),
    ],
    name="linear_probe_model",
)
downstream_model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
downstream_model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=1, verbose=0)
loss, accuracy = downstream_model.evaluate(x_train, y_train, verbose=0)
print("linear probe accuracy:", round(float(accuracy), 3))
