"""keras.io "WGAN-GP with R-GCN for the generation of small molecular graphs", tf.keras era, shrunk to random
molecular graphs (adjacency tensors over bond types, one-hot atom features): a functional GraphGenerator (Dense
stack, Dense(tf.math.reduce_prod(adjacency_shape)), Reshape, a Lambda symmetrising with tf.transpose and a
tf.nn.softmax over the bond axis, a Softmax(axis=2) feature head); a RelationalGraphConvLayer with add_weight
kernels in build (dtype=tf.float32), tf.einsum over the bond axis and tf.reduce_sum, self.built = True; a
functional GraphDiscriminator; a GraphWGAN(keras.Model) with its own compile(optimizer_generator,
optimizer_discriminator), Mean metrics created in compile, a train_step with a discriminator GradientTape and a
generator GradientTape, tf.random.normal latents from tf.shape(inputs[0])[0], a gradient penalty with a
tf.random.uniform interpolation, an inner tape watching the interpolated graphs and tf.norm; fit on a list of two
arrays; then sampling with tf.argmax, tf.one_hot(axis=1), tf.linalg.set_diag and .numpy()."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

NUM_ATOMS = 9  # Maximum number of atoms
ATOM_DIM = 4 + 1  # Number of atom types
BOND_DIM = 4 + 1  # Number of bond types
LATENT_DIM = 16  # Size of the latent space

rng = np.random.default_rng(64)
num_molecules = 64
bond_types = rng.integers(0, BOND_DIM, size=(num_molecules, NUM_ATOMS, NUM_ATOMS))
bond_types = np.triu(bond_types, 1) + np.triu(bond_types, 1).transpose(0, 2, 1)
adjacency_tensor = np.eye(BOND_DIM, dtype="float32")[bond_types].transpose(0, 3, 1, 2)
feature_tensor = np.eye(ATOM_DIM, dtype="float32")[rng.integers(0, ATOM_DIM, size=(num_molecules, NUM_ATOMS))]
print("A.shape =", adjacency_tensor.shape)
print("H.shape =", feature_tensor.shape)


def GraphGenerator(dense_units, dropout_rate, latent_dim, adjacency_shape, feature_shape):
    z = keras.layers.Input(shape=(LATENT_DIM,))
    # Propagate through one or more densely connected layers
    x = z
    for units in dense_units:
        x = keras.layers.Dense(units, activation="tanh")(x)
        x = keras.layers.Dropout(dropout_rate)(x)

    # Map outputs of previous layers (x) to [continuous] adjacency tensors (x_A)
    x_A = keras.layers.Dense(tf.math.reduce_prod(adjacency_shape))(x)
    x_A = keras.layers.Reshape(adjacency_shape)(x_A)
    # Symmetrify tensors in the last two dimensions, then a softmax over the bond types
    x_A = keras.layers.Lambda(lambda x: tf.nn.softmax((x + tf.transpose(x, (0, 1, 3, 2))) / 2, axis=1))(x_A)

    # Map outputs of previous layers (x) to [continuous] feature tensors (x_H)
    x_H = keras.layers.Dense(tf.math.reduce_prod(feature_shape))(x)
    x_H = keras.layers.Reshape(feature_shape)(x_H)
    x_H = keras.layers.Softmax(axis=2)(x_H)

    return keras.Model(inputs=z, outputs=[x_A, x_H], name="Generator")


generator = GraphGenerator(
    dense_units=[32, 64],
    dropout_rate=0.2,
    latent_dim=LATENT_DIM,
    adjacency_shape=(BOND_DIM, NUM_ATOMS, NUM_ATOMS),
    feature_shape=(NUM_ATOMS, ATOM_DIM),
)
generator.summary()


class RelationalGraphConvLayer(keras.layers.Layer):
    def __init__(self, units=128, activation="relu", use_bias=False, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, **kwargs):
        super(RelationalGraphConvLayer, self).__init__(**kwargs)
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
        self.W = self.add_weight(
            shape=(bond_dim, atom_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            trainable=True,
            name="W",
            dtype=tf.float32,
        )
        if self.use_bias:
            self.b = self.add_weight(
                shape=(bond_dim, 1, self.units),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                trainable=True,
                name="b",
                dtype=tf.float32,
            )
        self.built = True

    def call(self, inputs, training=False):
        A, H = inputs
        # Aggregate information from neighbors
        X = tf.einsum("bkij,bjf->bkif", A, H)
        # Apply linear transformation
        X = tf.einsum("bkif,kfu->bkiu", X, self.W)
        if self.use_bias:
            X += self.b
        # Reduce bond types dim
        X = tf.reduce_sum(X, axis=1)
        # Apply non-linear transformation
        return self.activation(X)


def GraphDiscriminator(gconv_units, dense_units, dropout_rate, adjacency_shape, feature_shape):
    A = keras.layers.Input(shape=adjacency_shape)
    H0 = keras.layers.Input(shape=feature_shape)

    # Propagate through one or more graph convolutional layers
    H = H0
    for units in gconv_units:
        H = RelationalGraphConvLayer(units, use_bias=True)([A, H])

    # Reduce 2-D representation of molecule to 1-D
    x = keras.layers.GlobalAveragePooling1D()(H)

    # Propagate through one or more densely connected layers
    for units in dense_units:
        x = keras.layers.Dense(units, activation="relu")(x)
        x = keras.layers.Dropout(dropout_rate)(x)

    # For each molecule, output a single scalar value expressing its "realness"
    x_out = keras.layers.Dense(1, dtype="float32")(x)
    return keras.Model(inputs=[A, H0], outputs=x_out)


discriminator = GraphDiscriminator(
    gconv_units=[32, 32],
    dense_units=[64],
    dropout_rate=0.2,
    adjacency_shape=(BOND_DIM, NUM_ATOMS, NUM_ATOMS),
    feature_shape=(NUM_ATOMS, ATOM_DIM),
)
discriminator.summary()


class GraphWGAN(keras.Model):
    def __init__(self, generator, discriminator, discriminator_steps=1, generator_steps=1, gp_weight=10,
                 **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.discriminator_steps = discriminator_steps
        self.generator_steps = generator_steps
        self.gp_weight = gp_weight
        self.latent_dim = self.generator.input_shape[-1]

    def compile(self, optimizer_generator, optimizer_discriminator, **kwargs):
        super().compile(**kwargs)
        self.optimizer_generator = optimizer_generator
        self.optimizer_discriminator = optimizer_discriminator
        self.metric_generator = keras.metrics.Mean(name="loss_gen")
        self.metric_discriminator = keras.metrics.Mean(name="loss_dis")

    def train_step(self, inputs):
        if isinstance(inputs[0], tuple):
            inputs = inputs[0]

        graph_real = inputs
        self.batch_size = tf.shape(inputs[0])[0]

        # Train the discriminator for one or more steps
        for _ in range(self.discriminator_steps):
            z = tf.random.normal((self.batch_size, self.latent_dim))
            with tf.GradientTape() as tape:
                graph_generated = self.generator(z, training=True)
                loss = self._loss_discriminator(graph_real, graph_generated)
            grads = tape.gradient(loss, self.discriminator.trainable_weights)
            self.optimizer_discriminator.apply_gradients(zip(grads, self.discriminator.trainable_weights))
            self.metric_discriminator.update_state(loss)

        # Train the generator for one or more steps
        for _ in range(self.generator_steps):
            z = tf.random.normal((self.batch_size, self.latent_dim))
            with tf.GradientTape() as tape:
                graph_generated = self.generator(z, training=True)
                loss = self._loss_generator(graph_generated)
            grads = tape.gradient(loss, self.generator.trainable_weights)
            self.optimizer_generator.apply_gradients(zip(grads, self.generator.trainable_weights))
            self.metric_generator.update_state(loss)

        return {m.name: m.result() for m in self.metrics}

    def _loss_discriminator(self, graph_real, graph_generated):
        logits_real = self.discriminator(graph_real, training=True)
        logits_generated = self.discriminator(graph_generated, training=True)
        loss = tf.reduce_mean(logits_generated) - tf.reduce_mean(logits_real)
        loss_gp = self._gradient_penalty(graph_real, graph_generated)
        return loss + loss_gp * self.gp_weight

    def _loss_generator(self, graph_generated):
        logits_generated = self.discriminator(graph_generated, training=True)
        return -tf.reduce_mean(logits_generated)

    def _gradient_penalty(self, graph_real, graph_generated):
        # Unpack graphs
        adjacency_real, features_real = graph_real
        adjacency_generated, features_generated = graph_generated

        # Generate interpolated graphs (adjacency_interp and features_interp)
        alpha = tf.random.uniform([self.batch_size])
        alpha = tf.reshape(alpha, (self.batch_size, 1, 1, 1))
        adjacency_interp = (adjacency_real * alpha) + (1 - alpha) * adjacency_generated
        alpha = tf.reshape(alpha, (self.batch_size, 1, 1))
        features_interp = (features_real * alpha) + (1 - alpha) * features_generated

        # Compute the logits of interpolated graphs
        with tf.GradientTape() as tape:
            tape.watch(adjacency_interp)
            tape.watch(features_interp)
            logits = self.discriminator([adjacency_interp, features_interp], training=True)

        # Compute the gradients with respect to the interpolated graphs
        grads = tape.gradient(logits, [adjacency_interp, features_interp])
        # Compute the gradient penalty
        grads_adjacency_penalty = (1 - tf.norm(grads[0], axis=1)) ** 2
        grads_features_penalty = (1 - tf.norm(grads[1], axis=2)) ** 2
        return tf.reduce_mean(
            tf.reduce_mean(grads_adjacency_penalty, axis=(-2, -1))
            + tf.reduce_mean(grads_features_penalty, axis=(-1))
        )


wgan = GraphWGAN(generator, discriminator, discriminator_steps=1)
wgan.compile(
    optimizer_generator=keras.optimizers.Adam(5e-4),
    optimizer_discriminator=keras.optimizers.Adam(5e-4),
)
history = wgan.fit([adjacency_tensor, feature_tensor], epochs=2, batch_size=16)
assert np.isfinite(history.history["loss_dis"][-1])


def sample(generator, batch_size):
    z = tf.random.normal((batch_size, LATENT_DIM))
    graph = generator.predict(z, verbose=0)
    # obtain one-hot encoded adjacency tensor
    adjacency = tf.argmax(graph[0], axis=1)
    adjacency = tf.one_hot(adjacency, depth=BOND_DIM, axis=1)
    # Remove potential self-loops from adjacency
    adjacency = tf.linalg.set_diag(adjacency, tf.zeros(tf.shape(adjacency)[:-1]))
    # obtain one-hot encoded feature tensor
    features = tf.argmax(graph[1], axis=2)
    features = tf.one_hot(features, depth=ATOM_DIM, axis=2)
    return [[adjacency[i].numpy(), features[i].numpy()] for i in range(batch_size)]


graphs = sample(wgan.generator, batch_size=8)
num_bonds = [int(np.sum(np.triu(a[:-1]))) for a, _ in graphs]
print("sampled graphs:", len(graphs), "bonds:", num_bonds)
assert graphs[0][0].shape == (BOND_DIM, NUM_ATOMS, NUM_ATOMS)
