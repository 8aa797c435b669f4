"""keras.io "Few-Shot learning with Reptile" (tf.keras version) on synthetic 28x28 "characters"
(one random template per class plus noise) instead of Omniglot: a Dataset class whose
get_mini_dataset() returns a tf.data.Dataset.from_tensor_slices(...).shuffle().batch().repeat()
(and test images/labels with split=True), a conv_bn helper, a functional model compiled with no
arguments, keras.optimizers.SGD, a module-level meta-training loop saving old_vars =
model.get_weights(), inner GradientTape steps with keras.losses.sparse_categorical_crossentropy and
optimizer.apply_gradients(zip(...)), the Reptile interpolation of the weight lists in NumPy and
model.set_weights, and few-shot evaluation with model.predict and tf.argmax(...).numpy()."""
import random

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

learning_rate = 0.003
meta_step_size = 0.25

inner_batch_size = 5
eval_batch_size = 5

meta_iters = 4
eval_iters = 2
inner_iters = 2

eval_interval = 2
train_shots = 4
shots = 2
classes = 3

random.seed(0)
np.random.seed(0)


class Dataset:
    """Synthetic characters: each class is a random binary template, each sample a noisy copy."""

    def __init__(self, num_classes, seed):
        rng = np.random.RandomState(seed)
        self.data = {}
        for label in range(num_classes):
            template = (rng.rand(28, 28, 1) > 0.7).astype("float32")
            self.data[str(label)] = [
                np.clip(template + 0.2 * rng.randn(28, 28, 1), 0, 1).astype("float32") for _ in range(8)
            ]
        self.labels = list(self.data.keys())

    def get_mini_dataset(self, batch_size, repetitions, shots, num_classes, split=False):
        temp_labels = np.zeros(shape=(num_classes * shots))
        temp_images = np.zeros(shape=(num_classes * shots, 28, 28, 1))
        if split:
            test_labels = np.zeros(shape=(num_classes))
            test_images = np.zeros(shape=(num_classes, 28, 28, 1))

        label_subset = random.choices(self.labels, k=num_classes)
        for class_idx, class_obj in enumerate(label_subset):
            temp_labels[class_idx * shots : (class_idx + 1) * shots] = class_idx
            if split:
                test_labels[class_idx] = class_idx
                images_to_split = random.choices(self.data[label_subset[class_idx]], k=shots + 1)
                test_images[class_idx] = images_to_split[-1]
                temp_images[class_idx * shots : (class_idx + 1) * shots] = images_to_split[:-1]
            else:
                temp_images[class_idx * shots : (class_idx + 1) * shots] = random.choices(
                    self.data[label_subset[class_idx]], k=shots
                )

        dataset = tf.data.Dataset.from_tensor_slices((temp_images.astype(np.float32), temp_labels.astype(np.int32)))
        dataset = dataset.shuffle(100).batch(batch_size).repeat(repetitions)
        if split:
            return dataset, test_images, test_labels
        return dataset


train_dataset = Dataset(num_classes=6, seed=1)
test_dataset = Dataset(num_classes=4, seed=2)


def conv_bn(x):
    x = layers.Conv2D(filters=8, kernel_size=3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    return layers.ReLU()(x)


inputs = layers.Input(shape=(28, 28, 1))
x = conv_bn(inputs)
x = conv_bn(x)
x = conv_bn(x)
x = layers.Flatten()(x)
outputs = layers.Dense(classes, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile()
optimizer = keras.optimizers.SGD(learning_rate=learning_rate)

training = []
testing = []
for meta_iter in range(meta_iters):
    frac_done = meta_iter / meta_iters
    cur_meta_step_size = (1 - frac_done) * meta_step_size
    # Temporarily save the weights from the model.
    old_vars = model.get_weights()
    # Get a sample from the full dataset.
    mini_dataset = train_dataset.get_mini_dataset(inner_batch_size, inner_iters, train_shots, classes)
    for images, labels in mini_dataset:
        with tf.GradientTape() as tape:
            preds = model(images)
            loss = keras.losses.sparse_categorical_crossentropy(labels, preds)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
    new_vars = model.get_weights()
    # Perform SGD for the meta step.
    for var in range(len(new_vars)):
        new_vars[var] = old_vars[var] + ((new_vars[var] - old_vars[var]) * cur_meta_step_size)
    # After the meta-learning step, reload the newly-trained weights into the model.
    model.set_weights(new_vars)
    # Evaluation loop
    if meta_iter % eval_interval == 0:
        accuracies = []
        for dataset in (train_dataset, test_dataset):
            # Sample a mini dataset from the full dataset.
            train_set, test_images, test_labels = dataset.get_mini_dataset(
                eval_batch_size, eval_iters, shots, classes, split=True
            )
            old_vars = model.get_weights()
            # Train on the samples and get the resulting accuracies.
            for images, labels in train_set:
                with tf.GradientTape() as tape:
                    preds = model(images)
                    loss = keras.losses.sparse_categorical_crossentropy(labels, preds)
                grads = tape.gradient(loss, model.trainable_weights)
                optimizer.apply_gradients(zip(grads, model.trainable_weights))
            test_preds = model.predict(test_images, verbose=0)
            test_preds = tf.argmax(test_preds).numpy()
            num_correct = (test_preds == test_labels).sum()
            # Reset the weights after getting the evaluation accuracies.
            model.set_weights(old_vars)
            accuracies.append(num_correct / classes)
        training.append(accuracies[0])
        testing.append(accuracies[1])
        print("batch %d: train=%f test=%f" % (meta_iter, accuracies[0], accuracies[1]))

assert len(training) == meta_iters // eval_interval
