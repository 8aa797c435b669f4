"""Hand conversion to multi-backend Keras 3: int(...) around the Dense sizes (Keras 3 wants a Python int);
keras.ops in the layers, the Lambda and the losses; the "GraphWGAN" step trains two networks with two
optimizers and a gradient penalty, which a compute_loss() override cannot express, so train_step dispatches on
keras.backend.backend() to one step per backend (as converted/dcgan_gan_monitor.py): tf.GradientTape (an inner
tape for the penalty) on TensorFlow; zero_grad / backward / optimizer.apply under torch.no_grad on PyTorch, with
torch.autograd.grad(create_graph=True) for the penalty; on JAX, un-jitted (compile(jit_compile=False)), the state
put back into the variables, jax.value_and_grad over stateless_call with jax.grad of the critic's summed logits
for the penalty. Random numbers from keras.random with a SeedGenerator; the model has no call(), so it marks
itself built; sampling with keras.ops and keras.ops.convert_to_numpy.

keras.io "WGAN-GP with R-GCN for the generation of small molecular graphs", tf.keras era, shrunk to random
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
import keras
from keras import ops

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
    x_A = keras.layers.Dense(int(np.prod(adjacency_shape)))(x)
    x_A = keras.layers.Reshape(adjacency_shape)(x_A)
    # Symmetrify tensors in the last two dimensions, then a softmax over the bond types
    x_A = keras.layers.Lambda(lambda x: ops.softmax((x + ops.transpose(x, (0, 1, 3, 2))) / 2, axis=1))(x_A)

    # Map outputs of previous layers (x) to [continuous] feature tensors (x_H)
    x_H = keras.layers.Dense(int(np.prod(feature_shape)))(x)
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
            dtype="float32",
        )
        if self.use_bias:
            self.b = self.add_weight(
                shape=(bond_dim, 1, self.units),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                trainable=True,
                name="b",
                dtype="float32",
            )
        self.built = True

    def call(self, inputs, training=False):
        A, H = inputs
        # Aggregate information from neighbors
        X = ops.einsum("bkij,bjf->bkif", A, H)
        # Apply linear transformation
        X = ops.einsum("bkif,kfu->bkiu", X, self.W)
        if self.use_bias:
            X += self.b
        # Reduce bond types dim
        X = ops.sum(X, axis=1)
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
        self.seed_generator = keras.random.SeedGenerator(64)
        # No call(): the two networks are built already (keras.Input), so is this model.
        self.built = True

    def compile(self, optimizer_generator, optimizer_discriminator, **kwargs):
        super().compile(jit_compile=False if keras.backend.backend() == "jax" else "auto", **kwargs)
        self.optimizer_generator = optimizer_generator
        self.optimizer_discriminator = optimizer_discriminator
        self.metric_generator = keras.metrics.Mean(name="loss_gen")
        self.metric_discriminator = keras.metrics.Mean(name="loss_dis")

    @property
    def metrics(self):
        return [self.metric_generator, self.metric_discriminator]

    def _latents(self, batch_size):
        return keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)

    def _interpolate(self, graph_real, graph_generated):
        adjacency_real, features_real = graph_real
        adjacency_generated, features_generated = graph_generated
        batch_size = ops.shape(adjacency_real)[0]
        alpha = keras.random.uniform((batch_size,), seed=self.seed_generator)
        alpha = ops.reshape(alpha, (batch_size, 1, 1, 1))
        adjacency_interp = (adjacency_real * alpha) + (1 - alpha) * adjacency_generated
        alpha = ops.reshape(alpha, (batch_size, 1, 1))
        features_interp = (features_real * alpha) + (1 - alpha) * features_generated
        return adjacency_interp, features_interp

    @staticmethod
    def _penalty(grads):
        grads_adjacency_penalty = (1 - ops.norm(grads[0], axis=1)) ** 2
        grads_features_penalty = (1 - ops.norm(grads[1], axis=2)) ** 2
        return ops.mean(ops.mean(grads_adjacency_penalty, axis=(-2, -1)) + ops.mean(grads_features_penalty, axis=-1))

    @staticmethod
    def _real_graph(data):
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        return list(x)

    def _logs(self, loss_dis, loss_gen):
        self.metric_discriminator.update_state(loss_dis)
        self.metric_generator.update_state(loss_gen)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, *args, **kwargs):
        if keras.backend.backend() == "jax":
            return self._jax_train_step(*args, **kwargs)
        if keras.backend.backend() == "torch":
            return self._torch_train_step(*args, **kwargs)
        return self._tensorflow_train_step(*args, **kwargs)

    def _tensorflow_train_step(self, data):
        graph_real = self._real_graph(data)
        batch_size = ops.shape(graph_real[0])[0]
        for _ in range(self.discriminator_steps):
            z = self._latents(batch_size)
            with tf.GradientTape() as tape:
                graph_generated = self.generator(z, training=True)
                logits_real = self.discriminator(graph_real, training=True)
                logits_generated = self.discriminator(graph_generated, training=True)
                adjacency_interp, features_interp = self._interpolate(graph_real, graph_generated)
                with tf.GradientTape() as gp_tape:
                    gp_tape.watch(adjacency_interp)
                    gp_tape.watch(features_interp)
                    logits = self.discriminator([adjacency_interp, features_interp], training=True)
                grads = gp_tape.gradient(logits, [adjacency_interp, features_interp])
                loss_dis = ops.mean(logits_generated) - ops.mean(logits_real) + self._penalty(grads) * self.gp_weight
            grads = tape.gradient(loss_dis, self.discriminator.trainable_weights)
            self.optimizer_discriminator.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        for _ in range(self.generator_steps):
            z = self._latents(batch_size)
            with tf.GradientTape() as tape:
                loss_gen = -ops.mean(self.discriminator(self.generator(z, training=True), training=True))
            grads = tape.gradient(loss_gen, self.generator.trainable_weights)
            self.optimizer_generator.apply_gradients(zip(grads, self.generator.trainable_weights))
        return self._logs(loss_dis, loss_gen)

    def _torch_train_step(self, data):
        import torch

        graph_real = self._real_graph(data)
        batch_size = ops.shape(graph_real[0])[0]
        for _ in range(self.discriminator_steps):
            z = self._latents(batch_size)
            self.zero_grad()
            graph_generated = [ops.stop_gradient(g) for g in self.generator(z, training=True)]
            logits_real = self.discriminator(graph_real, training=True)
            logits_generated = self.discriminator(graph_generated, training=True)
            interp = [t.detach().requires_grad_(True) for t in self._interpolate(graph_real, graph_generated)]
            logits = self.discriminator(interp, training=True)
            grads = torch.autograd.grad(logits.sum(), interp, create_graph=True)
            loss_dis = ops.mean(logits_generated) - ops.mean(logits_real) + self._penalty(grads) * self.gp_weight
            loss_dis.backward()
            grads = [v.value.grad for v in self.discriminator.trainable_weights]
            with torch.no_grad():
                self.optimizer_discriminator.apply(grads, self.discriminator.trainable_weights)
        for _ in range(self.generator_steps):
            z = self._latents(batch_size)
            self.zero_grad()
            loss_gen = -ops.mean(self.discriminator(self.generator(z, training=True), training=True))
            loss_gen.backward()
            grads = [v.value.grad for v in self.generator.trainable_weights]
            with torch.no_grad():
                self.optimizer_generator.apply(grads, self.generator.trainable_weights)
        return self._logs(loss_dis, loss_gen)

    def _jax_train_step(self, state, data):
        import jax

        # Un-jitted: put the state fit() threads through the step back into the variables (fit()
        # detaches their values during an epoch), then update them in place below.
        trainable, non_trainable, optimizer_variables, metrics_variables = state
        for variables, values in (
            (self.trainable_variables, trainable),
            (self.non_trainable_variables, non_trainable),
            (self.optimizer.variables, optimizer_variables),
            (self.metrics_variables, metrics_variables),
        ):
            for v, value in zip(variables, values):
                v.assign(value)
        graph_real = self._real_graph(data)
        batch_size = ops.shape(graph_real[0])[0]
        d, g = self.discriminator, self.generator
        for _ in range(self.discriminator_steps):
            graph_generated = g(self._latents(batch_size), training=True)
            interp = list(self._interpolate(graph_real, graph_generated))

            def d_loss_fn(d_trainable, d_non_trainable):
                logits_real, d_non_trainable = d.stateless_call(d_trainable, d_non_trainable, graph_real, training=True)
                logits_generated, d_non_trainable = d.stateless_call(
                    d_trainable, d_non_trainable, graph_generated, training=True
                )

                def critic_sum(graph):
                    return ops.sum(d.stateless_call(d_trainable, d_non_trainable, graph, training=True)[0])

                grads = jax.grad(critic_sum)(interp)
                loss = ops.mean(logits_generated) - ops.mean(logits_real) + self._penalty(grads) * self.gp_weight
                return loss, d_non_trainable

            (loss_dis, d_non_trainable), grads = jax.value_and_grad(d_loss_fn, has_aux=True)(
                [v.value for v in d.trainable_variables], [v.value for v in d.non_trainable_variables]
            )
            self.optimizer_discriminator.apply(grads, d.trainable_variables)
            for v, value in zip(d.non_trainable_variables, d_non_trainable):
                v.assign(value)
        for _ in range(self.generator_steps):
            z = self._latents(batch_size)

            def g_loss_fn(g_trainable, g_non_trainable):
                graph_generated, g_non_trainable = g.stateless_call(g_trainable, g_non_trainable, z, training=True)
                return -ops.mean(d(graph_generated, training=True)), g_non_trainable

            (loss_gen, g_non_trainable), grads = jax.value_and_grad(g_loss_fn, has_aux=True)(
                [v.value for v in g.trainable_variables], [v.value for v in g.non_trainable_variables]
            )
            self.optimizer_generator.apply(grads, g.trainable_variables)
            for v, value in zip(g.non_trainable_variables, g_non_trainable):
                v.assign(value)
        logs = self._logs(loss_dis, loss_gen)
        state = (
            [v.value for v in self.trainable_variables],
            [v.value for v in self.non_trainable_variables],
            [v.value for v in self.optimizer.variables],
            [v.value for v in self.metrics_variables],
        )
        return logs, state


wgan = GraphWGAN(generator, discriminator, discriminator_steps=1)
wgan.compile(
    optimizer_generator=keras.optimizers.Adam(5e-4),
    optimizer_discriminator=keras.optimizers.Adam(5e-4),
)
history = wgan.fit([adjacency_tensor, feature_tensor], epochs=2, batch_size=16)
assert np.isfinite(history.history["loss_dis"][-1])


def sample(generator, batch_size):
    z = keras.random.normal((batch_size, LATENT_DIM))
    graph = generator.predict(z, verbose=0)
    # obtain one-hot encoded adjacency tensor
    adjacency = ops.argmax(graph[0], axis=1)
    adjacency = ops.moveaxis(ops.one_hot(adjacency, BOND_DIM), -1, 1)
    # Remove potential self-loops from adjacency
    adjacency = adjacency * (1 - ops.eye(NUM_ATOMS))
    # obtain one-hot encoded feature tensor
    features = ops.argmax(graph[1], axis=2)
    features = ops.one_hot(features, ATOM_DIM, axis=2)
    adjacency, features = ops.convert_to_numpy(adjacency), ops.convert_to_numpy(features)
    return [[adjacency[i], features[i]] for i in range(batch_size)]


graphs = sample(wgan.generator, batch_size=8)
num_bonds = [int(np.sum(np.triu(a[:-1]))) for a, _ in graphs]
print("sampled graphs:", len(graphs), "bonds:", num_bonds)
assert graphs[0][0].shape == (BOND_DIM, NUM_ATOMS, NUM_ATOMS)
