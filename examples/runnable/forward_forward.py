"""The Forward-Forward algorithm (in the style of the keras.io "Using the Forward-Forward Algorithm
for Image Classification" example, TF 2 era): FFDense layers (keras.layers.Layer wrapping a Dense
and a ReLU) that each train themselves with their own optimizer and loss metric in a
forward_forward() method (a tf.GradientTape loop over num_epochs with tf.norm, tf.math.reduce_mean,
tf.math.pow, tf.math.log, tf.math.exp, tf.concat, tf.cast and tf.stop_gradient); an FFNetwork
keras.Model whose __init__ keeps a keras.Input in its layer list and two tf.Variable loss counters,
whose train_step (no GradientTape of its own) overlays the label on the input with tf.one_hot,
draws negative labels with tf.random.shuffle and loops over self.layers calling forward_forward,
assign_add on the counters and tf.math.divide; a predict helper summing per-label goodness with
tf.reduce_sum / tf.argmax; compile(loss="mse", metrics=[keras.metrics.Mean()])."""
import numpy as np
import tensorflow as tf
from tensorflow import keras

NUM_CLASSES = 10
rng = np.random.default_rng(5)
x_train = rng.uniform(size=(64, 6, 6)).astype("float32")
y_train = rng.integers(0, NUM_CLASSES, size=(64,)).astype("int32")
x_test = rng.uniform(size=(8, 6, 6)).astype("float32")
y_test = rng.integers(0, NUM_CLASSES, size=(8,)).astype("int32")

train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(32)


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

    # We perform a normalization step before we run the input through the Dense layer.
    def call(self, x):
        x_norm = tf.norm(x, ord=2, axis=1, keepdims=True)
        x_norm = x_norm + 1e-4
        x_dir = x / x_norm
        res = self.dense(x_dir)
        return self.relu(res)

    # The Forward-Forward algorithm: each layer trains itself on positive and negative samples.
    def forward_forward(self, x_pos, x_neg):
        for i in range(self.num_epochs):
            with tf.GradientTape() as tape:
                g_pos = tf.math.reduce_mean(tf.math.pow(self.call(x_pos), 2), 1)
                g_neg = tf.math.reduce_mean(tf.math.pow(self.call(x_neg), 2), 1)

                loss = tf.math.log(
                    1
                    + tf.math.exp(
                        tf.concat([-g_pos + self.threshold, g_neg - self.threshold], 0)
                    )
                )
                mean_loss = tf.cast(tf.math.reduce_mean(loss), tf.float32)
                self.loss_metric.update_state([mean_loss])
            gradients = tape.gradient(mean_loss, self.dense.trainable_weights)
            self.optimizer.apply_gradients(zip(gradients, self.dense.trainable_weights))
        return (
            tf.stop_gradient(self.call(x_pos)),
            tf.stop_gradient(self.call(x_neg)),
            self.loss_metric.result(),
        )


class FFNetwork(keras.Model):
    """A keras.Model that supports an `FFDense` network creation."""

    def __init__(self, dims, layer_learning_rate=0.03, **kwargs):
        super().__init__(**kwargs)
        self.loss_var = tf.Variable(0.0, trainable=False, dtype=tf.float32)
        self.loss_count = tf.Variable(0.0, trainable=False, dtype=tf.float32)
        self.layer_list = [keras.Input(shape=(dims[0],))]
        for d in range(len(dims) - 1):
            self.layer_list += [
                FFDense(
                    dims[d + 1],
                    optimizer=keras.optimizers.Adam(learning_rate=layer_learning_rate),
                    loss_metric=keras.metrics.Mean(),
                )
            ]

    # Replace the first NUM_CLASSES pixels with a one-hot encoding of the label.
    def overlay_y_on_x(self, x, y):
        max_sample = tf.reduce_max(x, axis=1, keepdims=True)
        one_hot = tf.one_hot(y, NUM_CLASSES) * max_sample
        return tf.concat([one_hot, x[:, NUM_CLASSES:]], axis=1)

    def predict_labels(self, x):
        x = tf.reshape(x, [-1, tf.shape(x)[1] * tf.shape(x)[2]])
        goodness_per_label = []
        for label in range(NUM_CLASSES):
            h = self.overlay_y_on_x(x, tf.fill([tf.shape(x)[0]], label))
            goodness = []
            for layer_idx in range(1, len(self.layer_list)):
                layer = self.layer_list[layer_idx]
                h = layer(h)
                goodness += [tf.math.reduce_mean(tf.math.pow(h, 2), 1)]
            goodness_per_label += [tf.expand_dims(tf.reduce_sum(goodness, axis=0), 1)]
        goodness_per_label = tf.concat(goodness_per_label, 1)
        return tf.argmax(goodness_per_label, 1).numpy()

    def train_step(self, data):
        x, y = data

        # Flatten the images.
        x = tf.reshape(x, [-1, tf.shape(x)[1] * tf.shape(x)[2]])

        x_pos = self.overlay_y_on_x(x, y)
        random_y = tf.random.shuffle(y)
        x_neg = self.overlay_y_on_x(x, random_y)

        h_pos, h_neg = x_pos, x_neg

        for idx, layer in enumerate(self.layers):
            if isinstance(layer, FFDense):
                h_pos, h_neg, loss = layer.forward_forward(h_pos, h_neg)
                self.loss_var.assign_add(loss)
                self.loss_count.assign_add(1.0)
            else:
                x = layer(x)
        mean_res = tf.math.divide(self.loss_var, self.loss_count)
        return {"FinalLoss": mean_res}


model = FFNetwork(dims=[36, 16, 16])

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.03),
    loss="mse",
    metrics=[keras.metrics.Mean()],
)

history = model.fit(train_dataset, epochs=2, verbose=2)
print("final loss", float(history.history["FinalLoss"][-1]))

preds = model.predict_labels(tf.convert_to_tensor(x_test))
accuracy = float(np.mean(preds == y_test))
print(f"Test accuracy score : {accuracy * 100}%")
assert preds.shape == (8,)
print("forward forward ok")
