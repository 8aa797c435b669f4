"""Hand conversion to multi-backend Keras 3. A mixture-of-experts classifier head on MNIST-like digits (in the style of the keras.io
"MoE for MNIST" example, written the tf.keras way), on tiny synthetic images: a LinearMoE layer
with a list of Dense experts and a Dense gating network (tf.keras.initializers.RandomNormal), a
usage counter kept in a tf.Variable created in __init__ and assigned in call() with
tf.tensor_scatter_nd_add, keras.backend (K) softmax / sum / log / mean / square / relu for the
load-balancing losses stored on the layer, tf.math.top_k, top-k expert outputs gathered with
tf.stack / tf.range / tf.tile / tf.gather_nd, and a Model subclass whose train_step adds the
layer's auxiliary loss to self.compiled_loss inside a GradientTape, updates
self.compiled_metrics and returns every metric; test_step does the same without the tape."""
import numpy as np
import keras
from keras import layers, ops

keras.utils.set_random_seed(7)
np.random.seed(7)

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
    def __init__(self, hidden_size, num_experts=NUM_EXPERTS, top_k=TOP_K, load_balance_coef=0.01):
        super().__init__()
        self.experts = [
            layers.Dense(
                hidden_size,
                kernel_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=0.001),
                bias_initializer="zeros",
            )
            for _ in range(num_experts)
        ]
        self.gating_network = layers.Dense(
            num_experts,
            kernel_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=0.001),
            bias_initializer="zeros",
        )
        self.num_experts = num_experts
        self.top_k = top_k
        self.load_balance_coef = load_balance_coef
        # How many times each expert was picked: a non-trainable Keras variable, assigned in call().
        self.expert_usage_count = self.add_weight(
            shape=(num_experts,), initializer="zeros", trainable=False, name="expert_usage_count"
        )
        self.batch_capacity = BATCH_SIZE // num_experts

    def _diversity_loss(self, weights):
        entropy = -ops.sum(weights * ops.log(weights + 1e-10), axis=1)
        return -ops.mean(entropy)

    def _importance_loss(self, gating_weights):
        batch_importance_sum = ops.sum(gating_weights, axis=0)
        mean_importance = ops.mean(batch_importance_sum)
        return ops.mean(ops.square(batch_importance_sum - mean_importance * ops.ones_like(batch_importance_sum)))

    def call(self, x):
        gating_weights = ops.softmax(self.gating_network(x))
        diversity_loss = self._diversity_loss(gating_weights)
        importance_loss = self._importance_loss(gating_weights)

        top_k_weights, top_k_indices = ops.top_k(gating_weights, k=self.top_k)

        picked = ops.sum(ops.one_hot(ops.reshape(top_k_indices, [-1]), self.num_experts), axis=0)
        self.expert_usage_count.assign(self.expert_usage_count + picked)
        batch_overflow_sum = ops.sum(ops.relu(ops.convert_to_tensor(self.expert_usage_count) - self.batch_capacity))

        # The auxiliary loss goes through add_loss: Keras 3 adds it to the loss in fit() and evaluate().
        self.add_loss(self.load_balance_coef * (diversity_loss + batch_overflow_sum + importance_loss))

        expert_outputs = ops.stack([expert(x) for expert in self.experts], axis=1)
        top_k_expert_outputs = ops.take_along_axis(expert_outputs, top_k_indices[:, :, None], axis=1)
        return ops.sum(top_k_expert_outputs * ops.expand_dims(top_k_weights, axis=-1), axis=1)


class MoEModel(keras.Model):
    def __init__(self, num_classes, num_experts=NUM_EXPERTS, top_k=TOP_K):
        super().__init__()
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


sample_layer = LinearMoE(8, 4, 2)
print("sample MoE output:", sample_layer(keras.random.uniform((2, 10))).shape)
print("usage after one call:", ops.convert_to_numpy(sample_layer.expert_usage_count))

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
print("expert usage:", ops.convert_to_numpy(model.moe_classifier.expert_usage_count))
assert float(np.sum(ops.convert_to_numpy(model.moe_classifier.expert_usage_count))) > 0
