"""keras.io "Drug Molecule Generation with VAE" (MoleculeGenerator), tf.keras era, shrunk to random
molecular graphs: (adjacency, features, property) NumPy tensors; a RelationalGraphConvLayer with
add_weight kernels in build, tf.matmul over the bond axis and tf.reduce_sum, and a get_config; a functional
encoder (graph convs, GlobalAveragePooling1D, z_mean / log_var) and a functional decoder whose adjacency
output is symmetrised with tf.transpose on a KerasTensor before layers.Softmax(axis=1); a Sampling layer
with tf.random.normal; a MoleculeGenerator(keras.Model) with call() (encoder, sampling, decoder, property
head), a GradientTape train_step on data[0] (fit on a list of three arrays, no targets), a _compute_loss with
categorical cross-entropies, a KL term and a binary cross-entropy property loss; a loss tracker; then
inference: decoder.predict on tf.random.normal latents, tf.argmax, tf.one_hot(axis=1) and tf.linalg.set_diag.

Keras 3 conversion: keras.ops in the layers; Dense(int(np.prod(shape))) (Keras 3's Dense wants a Python
int, not the tensor tf.math.reduce_prod gives); a SeedGenerator in Sampling; the train_step's loss moves
into compute_loss(x, y, y_pred) with the property as the target (fit(x=[adjacency, features], y=qed)), so
the backend's own training step runs on TensorFlow, JAX and PyTorch; inference with keras.random / keras.ops
(the diagonal cleared by multiplying with 1 - eye). The model's _compute_loss is renamed _molecule_loss:
Keras 3's Trainer has its own _compute_loss(x=, y=, y_pred=, sample_weight=, training=) that its train step
calls, and the override would replace it."""
import numpy as np
import keras
from keras import layers, ops

NUM_ATOMS = 9  # Maximum number of atoms
ATOM_DIM = 5  # Number of atom types
BOND_DIM = 4 + 1  # Number of bond types
LATENT_DIM = 16  # Size of the latent space

rng = np.random.default_rng(11)
num_molecules = 64
bond_types = rng.integers(0, BOND_DIM, size=(num_molecules, NUM_ATOMS, NUM_ATOMS))
bond_types = np.triu(bond_types, 1) + np.triu(bond_types, 1).transpose(0, 2, 1)
adjacency_tensor = np.eye(BOND_DIM, dtype="float32")[bond_types].transpose(0, 3, 1, 2)
feature_tensor = np.eye(ATOM_DIM, dtype="float32")[rng.integers(0, ATOM_DIM, size=(num_molecules, NUM_ATOMS))]
qed_tensor = rng.uniform(size=(num_molecules,)).astype("float32")


class RelationalGraphConvLayer(keras.layers.Layer):
    def __init__(
        self,
        units=128,
        activation="relu",
        use_bias=False,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        **kwargs
    ):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.kernel_regularizer = keras.regularizers.get(kernel_regularizer)
        self.bias_regularizer = keras.regularizers.get(bias_regularizer)

    def build(self, input_shape):
        bond_dim = input_shape[0][1]
        atom_dim = input_shape[1][2]
        self.kernel = self.add_weight(
            shape=(bond_dim, atom_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            trainable=True,
            name="W",
            dtype="float32",
        )
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(bond_dim, 1, self.units),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                trainable=True,
                name="b",
                dtype="float32",
            )
        self.built = True

    def call(self, inputs, training=False):
        adjacency, features = inputs
        # Aggregate information from neighbors
        x = ops.matmul(adjacency, features[:, None, :, :])
        # Apply linear transformation
        x = ops.matmul(x, self.kernel)
        if self.use_bias:
            x += self.bias
        # Reduce bond types dim
        x_reduced = ops.sum(x, axis=1)
        # Apply non-linear transformation
        return self.activation(x_reduced)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "use_bias": self.use_bias})
        return config


def get_encoder(gconv_units, latent_dim, adjacency_shape, feature_shape, dense_units, dropout_rate):
    adjacency = keras.layers.Input(shape=adjacency_shape)
    features = keras.layers.Input(shape=feature_shape)
    # Propagate through one or more graph convolutional layers
    features_transformed = features
    for units in gconv_units:
        features_transformed = RelationalGraphConvLayer(units)([adjacency, features_transformed])
    # Reduce 2-D representation of molecule to 1-D
    x = keras.layers.GlobalAveragePooling1D()(features_transformed)
    # Propagate through one or more densely connected layers
    for units in dense_units:
        x = layers.Dense(units, activation="relu")(x)
        x = layers.Dropout(dropout_rate)(x)
    z_mean = layers.Dense(latent_dim, dtype="float32", name="z_mean")(x)
    log_var = layers.Dense(latent_dim, dtype="float32", name="log_var")(x)
    encoder = keras.Model([adjacency, features], [z_mean, log_var], name="encoder")
    return encoder


def get_decoder(dense_units, dropout_rate, latent_dim, adjacency_shape, feature_shape):
    latent_inputs = keras.Input(shape=(latent_dim,))
    x = latent_inputs
    for units in dense_units:
        x = keras.layers.Dense(units, activation="tanh")(x)
        x = keras.layers.Dropout(dropout_rate)(x)
    # Map outputs of previous layer (x) to [continuous] adjacency tensors (x_adjacency)
    x_adjacency = keras.layers.Dense(int(np.prod(adjacency_shape)))(x)
    x_adjacency = keras.layers.Reshape(adjacency_shape)(x_adjacency)
    # Symmetrify tensors in the last two dimensions
    x_adjacency = (x_adjacency + ops.transpose(x_adjacency, (0, 1, 3, 2))) / 2
    x_adjacency = keras.layers.Softmax(axis=1)(x_adjacency)
    # Map outputs of previous layer (x) to [continuous] feature tensors (x_features)
    x_features = keras.layers.Dense(int(np.prod(feature_shape)))(x)
    x_features = keras.layers.Reshape(feature_shape)(x_features)
    x_features = keras.layers.Softmax(axis=2)(x_features)
    decoder = keras.Model(latent_inputs, outputs=[x_adjacency, x_features], name="decoder")
    return decoder


class Sampling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_log_var)[0]
        dim = ops.shape(z_log_var)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


class MoleculeGenerator(keras.Model):
    def __init__(self, encoder, decoder, max_len, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.property_prediction_layer = layers.Dense(1)
        self.sampling = Sampling()
        self.max_len = max_len

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        z_mean, z_log_var, qed_pred, gen_adjacency, gen_features = y_pred
        return self._molecule_loss(z_log_var, z_mean, y, qed_pred, x, [gen_adjacency, gen_features])

    def _molecule_loss(self, z_log_var, z_mean, qed_true, qed_pred, graph_real, graph_generated):
        adjacency_real, features_real = graph_real
        adjacency_gen, features_gen = graph_generated
        adjacency_loss = ops.mean(
            ops.sum(
                keras.losses.categorical_crossentropy(adjacency_real, adjacency_gen, axis=1), axis=(1, 2)
            )
        )
        features_loss = ops.mean(
            ops.sum(keras.losses.categorical_crossentropy(features_real, features_gen), axis=(1))
        )
        kl_loss = -0.5 * ops.sum(1 + z_log_var - z_mean**2 - ops.exp(z_log_var), 1)
        kl_loss = ops.mean(kl_loss)
        property_loss = ops.mean(keras.losses.binary_crossentropy(qed_true, ops.squeeze(qed_pred, axis=1)))
        return kl_loss + property_loss + adjacency_loss + features_loss

    def inference(self, batch_size):
        z = keras.random.normal((batch_size, LATENT_DIM))
        reconstruction_adjacency, reconstruction_features = model.decoder.predict(z)
        # obtain one-hot encoded adjacency tensor
        adjacency = ops.argmax(reconstruction_adjacency, axis=1)
        adjacency = ops.one_hot(adjacency, BOND_DIM, axis=1)
        # Remove potential self-loops from adjacency
        adjacency = adjacency * (1 - ops.eye(NUM_ATOMS))
        # obtain one-hot encoded feature tensor
        features = ops.argmax(reconstruction_features, axis=2)
        features = ops.one_hot(features, ATOM_DIM, axis=2)
        adjacency, features = ops.convert_to_numpy(adjacency), ops.convert_to_numpy(features)
        return [[adjacency[i], features[i]] for i in range(batch_size)]

    def call(self, inputs):
        z_mean, log_var = self.encoder(inputs)
        z = self.sampling([z_mean, log_var])
        gen_adjacency, gen_features = self.decoder(z)
        property_pred = self.property_prediction_layer(z_mean)
        return z_mean, log_var, property_pred, gen_adjacency, gen_features


vae_optimizer = keras.optimizers.Adam(learning_rate=5e-4)
encoder = get_encoder(
    gconv_units=[9],
    adjacency_shape=(BOND_DIM, NUM_ATOMS, NUM_ATOMS),
    feature_shape=(NUM_ATOMS, ATOM_DIM),
    latent_dim=LATENT_DIM,
    dense_units=[32],
    dropout_rate=0.0,
)
decoder = get_decoder(
    dense_units=[32, 64], dropout_rate=0.2, latent_dim=LATENT_DIM,
    adjacency_shape=(BOND_DIM, NUM_ATOMS, NUM_ATOMS), feature_shape=(NUM_ATOMS, ATOM_DIM),
)
model = MoleculeGenerator(encoder, decoder, NUM_ATOMS)
model.compile(vae_optimizer)
history = model.fit([adjacency_tensor, feature_tensor], qed_tensor, epochs=2, batch_size=16)
molecules = model.inference(4)
print(history.history["loss"], molecules[0][0].shape, molecules[0][1].shape)
print(RelationalGraphConvLayer(8).get_config()["units"])
