"""A mixture-of-experts classifier head on MNIST-like digits (in the style of the keras.io
"MoE for MNIST" example, written the tf.keras way), on tiny synthetic images: a LinearMoE layer
with a list of Dense experts and a Dense gating network (tf.keras.initializers.RandomNormal), a
usage counter kept in a tf.Variable created in __init__ and assigned in call() with
tf.tensor_scatter_nd_add, keras.backend (K) softmax / sum / log / mean / square / relu for the
load-balancing losses stored on the layer, tf.math.top_k, top-k expert outputs gathered with
tf.stack / tf.range / tf.tile / tf.gather_nd, and a Model subclass whose train_step adds the
layer's auxiliary loss to self.compiled_loss inside a GradientTape, updates
self.compiled_metrics and returns every metric; test_step does the same without the tape."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import backend as K

np.random.seed(7)
tf.random.set_seed(7)

num_classes = 4
input_shape = (12, 12, 1)
NUM_EXPERTS = 4
TOP_K = 2
BATCH_SIZE = 16
NUM_EPOCHS = 2
LEARNING_RATE = 0.003


def make_digits(n):
    """A bright horizontal bar whose row band is the class."""
    x = np.random.uniform(0, 0.2, size=(n,) + input_shape).astype("float32")
    y = np.random.randint(0, num_classes, size=n)
    for i, label in enumerate(y):
        x[i, 1 + 3 * label: 3 + 3 * label, 2:10, 0] += 0.8
    return x, keras.utils.to_categorical(y, num_classes)


x_train, y_train = make_digits(96)
x_test, y_test = make_digits(32)


class LinearMoE(layers.Layer):
    def __init__(self, hidden_size, num_experts=NUM_EXPERTS, top_k=TOP_K):
        super(LinearMoE, self).__init__()
        self.experts = [
            layers.Dense(
                hidden_size,
                kernel_initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.001),
                bias_initializer="zeros",
            )
            for _ in range(num_experts)
        ]
        self.gating_network = layers.Dense(
            num_experts,
            kernel_initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.001),
            bias_initializer="zeros",
        )
        self.num_experts = num_experts
        self.top_k = top_k
        # How many times each expert was picked.
        self.expert_usage_count = tf.Variable(tf.zeros((num_experts,), dtype=tf.float32), trainable=False)
        self.batch_capacity = BATCH_SIZE // num_experts

    def _diversity_loss(self, weights):
        entropy = -K.sum(weights * K.log(weights + 1e-10), axis=1)
        self.diversity_loss = -K.mean(entropy)

    def _importance_loss(self, gating_weights):
        batch_importance_sum = K.sum(gating_weights, axis=0)
        mean_importance = K.mean(batch_importance_sum)
        self.importance_loss = K.mean(
            K.square(batch_importance_sum - mean_importance * tf.ones_like(batch_importance_sum))
        )

    def call(self, x):
        gating_weights = K.softmax(self.gating_network(x))
        self._diversity_loss(gating_weights)
        self._importance_loss(gating_weights)

        top_k_weights, top_k_indices = tf.math.top_k(gating_weights, k=self.top_k)

        updates = tf.ones_like(tf.reshape(top_k_indices, [-1]), dtype=tf.float32)
        self.expert_usage_count.assign(
            tf.tensor_scatter_nd_add(self.expert_usage_count, tf.reshape(top_k_indices, [-1, 1]), updates)
        )
        self.batch_overflow_sum = K.sum(
            K.relu(tf.convert_to_tensor(self.expert_usage_count) - self.batch_capacity)
        )

        expert_outputs = tf.stack([expert(x) for expert in self.experts], axis=1)

        batch_size = tf.shape(x)[0]
        batch_indices = tf.tile(tf.expand_dims(tf.range(batch_size), 1), [1, self.top_k])
        indices = tf.stack([batch_indices, top_k_indices], axis=2)
        top_k_expert_outputs = tf.gather_nd(expert_outputs, indices)

        return tf.reduce_sum(top_k_expert_outputs * tf.expand_dims(top_k_weights, axis=-1), axis=1)

    def compute_total_loss(self, load_balance_coef=0.01):
        return load_balance_coef * (self.diversity_loss + self.batch_overflow_sum + self.importance_loss)


class MoEModel(keras.Model):
    def __init__(self, num_classes, num_experts=NUM_EXPERTS, top_k=TOP_K):
        super(MoEModel, self).__init__()
        self.conv_block = keras.Sequential(
            [
                layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
                layers.MaxPooling2D(pool_size=(2, 2)),
                layers.Flatten(),
                layers.Dropout(0.2),
            ]
        )
        self.moe_classifier = LinearMoE(hidden_size=num_classes, num_experts=num_experts, top_k=top_k)
        self.softmax = layers.Softmax()

    def call(self, inputs, training=False):
        conv_flatten = self.conv_block(inputs, training=training)
        return self.softmax(self.moe_classifier(conv_flatten))

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            classification_loss = self.compiled_loss(y, y_pred)
            moe_loss = self.moe_classifier.compute_total_loss(load_balance_coef=0.01)
            total_loss = classification_loss + moe_loss
        gradients = tape.gradient(total_loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        return {"loss": total_loss, "moe_loss": moe_loss, **{m.name: m.result() for m in self.metrics}}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        classification_loss = self.compiled_loss(y, y_pred)
        moe_loss = self.moe_classifier.compute_total_loss(load_balance_coef=0.01)
        total_loss = classification_loss + moe_loss
        self.compiled_metrics.update_state(y, y_pred)
        return {"loss": total_loss, "moe_loss": moe_loss, **{m.name: m.result() for m in self.metrics}}


sample_layer = LinearMoE(8, 4, 2)
print("sample MoE output:", sample_layer(tf.random.uniform((2, 10))).shape)
print("usage after one call:", sample_layer.expert_usage_count.numpy())

model = MoEModel(num_classes=num_classes, num_experts=NUM_EXPERTS, top_k=TOP_K)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
    loss=keras.losses.CategoricalCrossentropy(),
    metrics=["accuracy"],
)
history = model.fit(
    x_train, y_train, batch_size=BATCH_SIZE, epochs=NUM_EPOCHS, validation_data=(x_test, y_test), verbose=2
)
print("history keys:", sorted(history.history))
score = model.evaluate(x_test, y_test, verbose=0)
print("Test loss:", score[0])
print("Test accuracy:", score[1])
print("expert usage:", model.moe_classifier.expert_usage_count.numpy())
assert float(np.sum(model.moe_classifier.expert_usage_count.numpy())) > 0
