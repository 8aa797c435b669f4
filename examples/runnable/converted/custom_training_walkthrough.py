"""Hand conversion of the TensorFlow "Custom training: walkthrough" tutorial to multi-backend Keras 3.

grad() takes the gradient per backend: TensorFlow keeps the tape; JAX differentiates a pure
function of the trainable values (jax.value_and_grad under keras.StatelessScope); PyTorch calls
torch.autograd.grad on the eager loss. The optimizer applies JAX arrays and torch tensors as it
applies TF tensors. The metrics' reset_states() is reset_state() in Keras 3; tf.argmax /
tf.nn.softmax / tf.stack on model outputs become keras.ops (the model computes with the backend's
tensors); Dense(input_shape=) becomes keras.Input in the Sequential; the features dict packing
stays tf.stack inside Dataset.map (tf.data runs in TensorFlow on every backend).

The original: TensorFlow tutorial "Custom training: walkthrough" (tf.keras era, the penguin / iris classifier),
on synthetic penguin measurements.

A tf.data dataset of (OrderedDict of feature columns, label) batches like make_csv_dataset's, packed
by pack_features_vector with tf.stack(list(features.values()), axis=1) in Dataset.map; a
keras.Sequential with Dense(10, activation=tf.nn.relu, input_shape=(4,)); loss(model, x, y,
training) calling a SparseCategoricalCrossentropy(from_logits=True) object and grad() returning
the loss and tape.gradient(loss_value, model.trainable_variables) from a tape in a plain
function; the training loop applies keras.optimizers.SGD(learning_rate=0.01) and updates a
keras.metrics.Mean() and SparseCategoricalAccuracy() per batch, reset_states() per epoch;
the test loop uses tf.argmax(logits, axis=1, output_type=tf.int32) with a keras.metrics.Accuracy
(); predictions with tf.nn.softmax(logits)[class_idx] and tf.argmax(logits).numpy()."""
import collections

import keras
import numpy as np
import tensorflow as tf
from keras import ops

np.random.seed(1)
keras.utils.set_random_seed(1)

column_names = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'species']
feature_names = column_names[:-1]
label_name = column_names[-1]
class_names = ['Adelie', 'Chinstrap', 'Gentoo']

centres = np.array([[0.39, 0.18, 0.19, 0.37], [0.49, 0.18, 0.20, 0.37], [0.47, 0.15, 0.22, 0.50]],
                   dtype="float32")


def synthetic_penguins(n):
    labels = np.random.randint(0, 3, n).astype("int32")
    feats = centres[labels] + np.random.normal(0, 0.01, (n, 4)).astype("float32")
    return feats, labels


train_x, train_y = synthetic_penguins(240)
test_x, test_y = synthetic_penguins(60)

batch_size = 32


def make_dataset(x, y, shuffle):
    features = collections.OrderedDict((name, x[:, i]) for i, name in enumerate(feature_names))
    ds = tf.data.Dataset.from_tensor_slices((features, y))
    if shuffle:
        ds = ds.shuffle(len(y))
    return ds.batch(batch_size)


train_dataset = make_dataset(train_x, train_y, shuffle=True)
features, labels = next(iter(train_dataset))
print(features)


def pack_features_vector(features, labels):
    """Pack the features into a single array."""
    features = tf.stack(list(features.values()), axis=1)
    return features, labels


train_dataset = train_dataset.map(pack_features_vector)
features, labels = next(iter(train_dataset))
print(features[:5])

model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(10, activation="relu"),
    keras.layers.Dense(10, activation="relu"),
    keras.layers.Dense(3)
])

predictions = model(features)
print(predictions[:5])
print(ops.softmax(predictions[:5]))
print("Prediction: {}".format(ops.argmax(predictions, axis=1)))
print("    Labels: {}".format(labels))

loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def loss(model, x, y, training):
    # training=training is needed only if there are layers with different
    # behavior during training versus inference (e.g. Dropout).
    y_ = model(x, training=training)

    return loss_object(y_true=y, y_pred=y_)


l = loss(model, features, labels, training=False)
print("Loss test: {}".format(l))


def grad(model, inputs, targets):
    if keras.backend.backend() == "jax":
        import jax

        inputs, targets = np.asarray(inputs), np.asarray(targets)
        trainable = model.trainable_variables
        others = model.non_trainable_variables

        def loss_of(values):
            mapping = list(zip(trainable, values)) + [(v, v.value) for v in others]
            with keras.StatelessScope(state_mapping=mapping):
                return loss(model, inputs, targets, training=True)

        loss_value, grads = jax.value_and_grad(loss_of)([v.value for v in trainable])
        return loss_value, grads
    if keras.backend.backend() == "torch":
        import torch

        inputs, targets = np.asarray(inputs), np.asarray(targets)
        loss_value = loss(model, inputs, targets, training=True)
        grads = torch.autograd.grad(loss_value, [v.value for v in model.trainable_variables])
        return loss_value.detach(), list(grads)
    with tf.GradientTape() as tape:
        loss_value = loss(model, inputs, targets, training=True)
    return loss_value, tape.gradient(loss_value, model.trainable_variables)


optimizer = keras.optimizers.SGD(learning_rate=0.01)

loss_value, grads = grad(model, features, labels)

print("Step: {}, Initial Loss: {}".format(ops.convert_to_numpy(optimizer.iterations),
                                          ops.convert_to_numpy(loss_value)))

optimizer.apply_gradients(zip(grads, model.trainable_variables))

print("Step: {},         Loss: {}".format(ops.convert_to_numpy(optimizer.iterations),
                                          ops.convert_to_numpy(loss(model, features, labels,
                                                                    training=True))))

## Note: Rerunning this cell uses the same model variables

# Keep results for plotting
train_loss_results = []
train_accuracy_results = []

num_epochs = 31
epoch_loss_avg = keras.metrics.Mean()
epoch_accuracy = keras.metrics.SparseCategoricalAccuracy()

for epoch in range(num_epochs):
    # Training loop - using batches of 32
    for x, y in train_dataset:
        # Optimize the model
        loss_value, grads = grad(model, x, y)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

        # Track progress
        epoch_loss_avg.update_state(loss_value)  # Add current batch loss
        # Compare predicted label to actual label
        # training=True is needed only if there are layers with different
        # behavior during training versus inference (e.g. Dropout).
        epoch_accuracy.update_state(y, model(x, training=True))

    # End epoch
    train_loss_results.append(epoch_loss_avg.result())
    train_accuracy_results.append(epoch_accuracy.result())
    epoch_loss_avg.reset_state()
    epoch_accuracy.reset_state()

    if epoch % 10 == 0:
        print("Epoch {:03d}: Loss: {:.3f}, Accuracy: {:.3%}".format(epoch,
                                                                    train_loss_results[-1],
                                                                    train_accuracy_results[-1]))

test_dataset = make_dataset(test_x, test_y, shuffle=False)
test_dataset = test_dataset.map(pack_features_vector)

test_accuracy = keras.metrics.Accuracy()

for (x, y) in test_dataset:
    # training=False is needed only if there are layers with different
    # behavior during training versus inference (e.g. Dropout).
    logits = model(x, training=False)
    prediction = ops.cast(ops.argmax(logits, axis=1), "int32")
    test_accuracy(prediction, y)

print("Test set accuracy: {:.3%}".format(test_accuracy.result()))

print(ops.stack([ops.convert_to_tensor(np.asarray(y)), prediction], axis=1))

predict_dataset = np.array([
    [0.3, 0.8, 0.4, 0.5, ],
    [0.4, 0.1, 0.8, 0.5, ],
    [0.7, 0.9, 0.8, 0.4]
])

# training=False is needed only if there are layers with different
# behavior during training versus inference (e.g. Dropout).
predictions = model(predict_dataset, training=False)

for i, logits in enumerate(predictions):
    class_idx = int(ops.convert_to_numpy(ops.argmax(logits)))
    p = float(ops.convert_to_numpy(ops.softmax(logits)[class_idx]))
    name = class_names[class_idx]
    print("Example {} prediction: {} ({:4.1f}%)".format(i, name, 100 * p))
