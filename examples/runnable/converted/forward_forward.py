"""The Forward-Forward algorithm (in the style of the keras.io "Using the Forward-Forward Algorithm
for Image Classification" example, TF 2 era): FFDense layers that each train themselves with their
own optimizer in forward_forward(), an FFNetwork model whose train_step loops over its layers.

Hand conversion to multi-backend Keras 3. Each layer takes gradient steps of its own inside the
model's step, which no compute_loss() override expresses, so the gradient of a layer's loss is taken
per backend (tf.GradientTape on TensorFlow, torch.autograd.grad on PyTorch, jax.value_and_grad of
the loss computed in a keras.StatelessScope mapping the layer's variables to the traced values on
JAX) and applied with the layer's optimizer (under torch.no_grad on PyTorch). On JAX, fit() calls
train_step(state, data): the step runs un-jitted (compile(jit_compile=False) there), puts the state
into the variables, runs as written and hands back the variables' values. keras.ops replaces the TF
ops (norm, mean, power, log, exp, concatenate, stop_gradient, one_hot, max, full, argmax), the
counters are keras.Variables, the negative labels come from keras.random.shuffle with a
SeedGenerator; the FFDense layers are built in FFNetwork.__init__ (their Dense builds in build()),
so that the model and its variables exist before fit(); the unused compiled loss and Mean metric go (Keras
3 builds a compiled loss by calling the model, which has no call(), and cannot report a compiled
metric the step never updates)."""
import numpy as np
import tensorflow as tf
import keras
from keras import ops

NUM_CLASSES = 10
rng = np.random.default_rng(5)
x_train = rng.uniform(size=(64, 6, 6)).astype("float32")
y_train = rng.integers(0, NUM_CLASSES, size=(64,)).astype("int32")
x_test = rng.uniform(size=(8, 6, 6)).astype("float32")
y_test = rng.integers(0, NUM_CLASSES, size=(8,)).astype("int32")

train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)


def value_and_gradients(loss_fn, variables):
    """The loss and its gradients with respect to `variables`, on the current backend."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        with tf.GradientTape() as tape:
            loss = loss_fn()
        return loss, tape.gradient(loss, variables)
    if backend == "torch":
        import torch

        loss = loss_fn()
        return loss, list(torch.autograd.grad(loss, [v.value for v in variables]))
    import jax

    def stateless_loss(values):
        with keras.StatelessScope(state_mapping=list(zip(variables, values))):
            return loss_fn()

    return jax.value_and_grad(stateless_loss)([v.value for v in variables])


def apply_gradients(optimizer, gradients, variables):
    if keras.backend.backend() == "torch":
        import torch

        with torch.no_grad():
            optimizer.apply_gradients(zip(gradients, variables))
    else:
        optimizer.apply_gradients(zip(gradients, variables))


class FFDense(keras.layers.Layer):
    """A custom ForwardForward-enabled Dense layer. It has an implementation of the Forward-Forward
    network internally for use. This layer must be used in conjunction with the `FFNetwork` model."""

    def __init__(
        self,
        units,
        optimizer,
        loss_metric,
        num_epochs=2,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(
            units=units,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
        )
        self.relu = keras.layers.ReLU()
        self.optimizer = optimizer
        self.loss_metric = loss_metric
        self.threshold = 1.5
        self.num_epochs = num_epochs

    def build(self, input_shape):
        self.dense.build(input_shape)

    # We perform a normalization step before we run the input through the Dense layer.
    def call(self, x):
        x_norm = ops.norm(x, ord=2, axis=1, keepdims=True)
        x_norm = x_norm + 1e-4
        x_dir = x / x_norm
        res = self.dense(x_dir)
        return self.relu(res)

    def goodness_loss(self, x_pos, x_neg):
        g_pos = ops.mean(ops.power(self.call(x_pos), 2), 1)
        g_neg = ops.mean(ops.power(self.call(x_neg), 2), 1)
        loss = ops.log(
            1 + ops.exp(ops.concatenate([-g_pos + self.threshold, g_neg - self.threshold], 0))
        )
        return ops.cast(ops.mean(loss), "float32")

    # The Forward-Forward algorithm: each layer trains itself on positive and negative samples.
    def forward_forward(self, x_pos, x_neg):
        for i in range(self.num_epochs):
            mean_loss, gradients = value_and_gradients(
                lambda: self.goodness_loss(x_pos, x_neg), self.dense.trainable_weights
            )
            self.loss_metric.update_state([mean_loss])
            apply_gradients(self.optimizer, gradients, self.dense.trainable_weights)
        return (
            ops.stop_gradient(self.call(x_pos)),
            ops.stop_gradient(self.call(x_neg)),
            self.loss_metric.result(),
        )


class FFNetwork(keras.Model):
    """A keras.Model that supports an `FFDense` network creation."""

    def __init__(self, dims, layer_learning_rate=0.03, **kwargs):
        super().__init__(**kwargs)
        self.loss_var = keras.Variable(0.0, trainable=False, dtype="float32")
        self.loss_count = keras.Variable(0.0, trainable=False, dtype="float32")
        self.seed_generator = keras.random.SeedGenerator(1337)
        self.layer_list = [keras.Input(shape=(dims[0],))]
        for d in range(len(dims) - 1):
            layer = FFDense(
                dims[d + 1],
                optimizer=keras.optimizers.Adam(learning_rate=layer_learning_rate),
                loss_metric=keras.metrics.Mean(),
            )
            layer.build((None, dims[d]))
            self.layer_list += [layer]
        # No call(): the layers are built, so is the model.
        self.built = True

    # Replace the first NUM_CLASSES pixels with a one-hot encoding of the label.
    def overlay_y_on_x(self, x, y):
        max_sample = ops.max(x, axis=1, keepdims=True)
        one_hot = ops.one_hot(y, NUM_CLASSES) * max_sample
        return ops.concatenate([one_hot, x[:, NUM_CLASSES:]], axis=1)

    def predict_labels(self, x):
        x = ops.reshape(x, [-1, x.shape[1] * x.shape[2]])
        goodness_per_label = []
        for label in range(NUM_CLASSES):
            h = self.overlay_y_on_x(x, ops.full([x.shape[0]], label))
            goodness = []
            for layer_idx in range(1, len(self.layer_list)):
                layer = self.layer_list[layer_idx]
                h = layer(h)
                goodness += [ops.mean(ops.power(h, 2), 1)]
            goodness_per_label += [ops.expand_dims(ops.sum(ops.stack(goodness), axis=0), 1)]
        goodness_per_label = ops.concatenate(goodness_per_label, 1)
        return ops.convert_to_numpy(ops.argmax(goodness_per_label, 1))

    def train_step(self, *args):
        if keras.backend.backend() != "jax":
            return self._train_step(*args)
        # JAX: fit() hands the state and takes it back; the step runs un-jitted on the variables.
        state, data = args
        trainable, non_trainable, optimizer_variables, metrics_variables = state
        for variables, values in (
            (self.trainable_variables, trainable),
            (self.non_trainable_variables, non_trainable),
            (self.optimizer.variables, optimizer_variables),
            (self.metrics_variables, metrics_variables),
        ):
            for v, value in zip(variables, values):
                v.assign(value)
        logs = self._train_step(data)
        state = (
            [v.value for v in self.trainable_variables],
            [v.value for v in self.non_trainable_variables],
            [v.value for v in self.optimizer.variables],
            [v.value for v in self.metrics_variables],
        )
        return logs, state

    def _train_step(self, data):
        x, y = data

        # Flatten the images.
        x = ops.reshape(x, [-1, x.shape[1] * x.shape[2]])

        x_pos = self.overlay_y_on_x(x, y)
        random_y = keras.random.shuffle(y, seed=self.seed_generator)
        x_neg = self.overlay_y_on_x(x, random_y)

        h_pos, h_neg = x_pos, x_neg

        for idx, layer in enumerate(self.layers):
            if isinstance(layer, FFDense):
                h_pos, h_neg, loss = layer.forward_forward(h_pos, h_neg)
                self.loss_var.assign_add(loss)
                self.loss_count.assign_add(1.0)
            else:
                x = layer(x)
        mean_res = ops.divide(self.loss_var, self.loss_count)
        return {"FinalLoss": mean_res}


model = FFNetwork(dims=[36, 16, 16])

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.03),
    jit_compile=False if keras.backend.backend() == "jax" else "auto",
)

history = model.fit(train_dataset, epochs=2, verbose=2)
print("final loss", float(history.history["FinalLoss"][-1]))

preds = model.predict_labels(ops.convert_to_tensor(x_test))
accuracy = float(np.mean(preds == y_test))
print(f"Test accuracy score : {accuracy * 100}%")
assert preds.shape == (8,)
print("forward forward ok")
