"""(Hand conversion to Keras 3: TensorFlow backend only, since the step is a tf.GradientTape
loop (JAX and PyTorch need jax.grad / torch.autograd code instead). Keras 3 makes Dense.kernel
a read-only property, so the predicted kernels cannot be set on the main network's layers:
the main network becomes a function that applies the predicted weights with keras.ops.
`import keras`, keras.activations instead of tf.nn functions.)
Hypernetwork from keras.io "Introduction to Keras for Researchers" (tf.keras era).

A hypernetwork (a Sequential of Dense layers) predicts the kernels and biases of a main
network whose layers are marked built (`layer.built = True`) so that they create no
variables; inside a `@tf.function` GradientTape step the predicted tensors are set as
`main_network.layers[i].kernel` / `.bias` and the main network is called on the batch.
Only the hypernetwork is trained. Synthetic data: 16 features, 3 classes, batch size 1.
"""
import numpy as np
import tensorflow as tf
import keras
from keras import ops

np.random.seed(0)
tf.random.set_seed(0)

input_dim = 16
classes = 3

# This is the main network we'll actually use to predict labels: Keras 3 layers keep their
# kernel in a read-only property, so the main network applies the predicted weights itself.
def main_network(x, w0, b0, w1, b1):
    h = keras.activations.relu(ops.matmul(x, w0) + b0)
    return ops.matmul(h, w1) + b1


# This is the number of weight coefficients to generate. Each layer in the
# main network requires output_dim * input_dim + output_dim coefficients.
num_weights_to_generate = (classes * 8 + classes) + (8 * input_dim + 8)

# This is the hypernetwork that generates the weights of the `main_network` above.
hypernetwork = keras.Sequential(
    [
        keras.layers.Dense(16, activation=keras.activations.relu),
        keras.layers.Dense(num_weights_to_generate, activation=keras.activations.sigmoid),
    ]
)

# Loss and optimizer.
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = keras.optimizers.Adam(learning_rate=1e-3)

# Prepare a dataset.
x_train = np.random.normal(size=(256, input_dim)).astype("float32")
y_train = (x_train[:, 0] > 0).astype("int64") + (x_train[:, 1] > 0.5).astype("int64")
dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))

# We'll use a batch size of 1 for this experiment.
dataset = dataset.shuffle(buffer_size=1024).batch(1)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        # Predict weights for the outer model.
        weights_pred = hypernetwork(x)

        # Reshape them to the expected shapes for w and b for the outer model.
        # Layer 0 kernel.
        start_index = 0
        w0_shape = (input_dim, 8)
        w0_coeffs = weights_pred[:, start_index : start_index + np.prod(w0_shape)]
        w0 = tf.reshape(w0_coeffs, w0_shape)
        start_index += np.prod(w0_shape)
        # Layer 0 bias.
        b0_shape = (8,)
        b0_coeffs = weights_pred[:, start_index : start_index + np.prod(b0_shape)]
        b0 = tf.reshape(b0_coeffs, b0_shape)
        start_index += np.prod(b0_shape)
        # Layer 1 kernel.
        w1_shape = (8, classes)
        w1_coeffs = weights_pred[:, start_index : start_index + np.prod(w1_shape)]
        w1 = tf.reshape(w1_coeffs, w1_shape)
        start_index += np.prod(w1_shape)
        # Layer 1 bias.
        b1_shape = (classes,)
        b1_coeffs = weights_pred[:, start_index : start_index + np.prod(b1_shape)]
        b1 = tf.reshape(b1_coeffs, b1_shape)
        start_index += np.prod(b1_shape)

        # Inference on the outer model with the predicted weights.
        preds = main_network(x, w0, b0, w1, b1)
        loss = loss_fn(y, preds)

    # Train only inner model.
    grads = tape.gradient(loss, hypernetwork.trainable_weights)
    optimizer.apply_gradients(zip(grads, hypernetwork.trainable_weights))
    return loss


losses = []  # Keep track of the losses over time.
for step, (x, y) in enumerate(dataset):
    loss = train_step(x, y)

    # Logging.
    losses.append(float(loss))
    if step % 64 == 0:
        print("Step:", step, "Loss:", sum(losses) / len(losses))

    # Stop after 200 steps.
    if step >= 200:
        break

assert np.isfinite(losses).all()
print("mean loss of the last 50 steps:", np.mean(losses[-50:]))
