"""Hand conversion of the "Distributed training with Keras" tutorial to multi-backend Keras 3.

tf.distribute is TensorFlow's: the MirroredStrategy is made on TensorFlow only (elsewhere a
one-replica stand-in whose scope does nothing); tf.data stays the input pipeline (Keras 3 fit reads it
on every backend). Weight checkpoints need the `.weights.h5` suffix, so the newest is found by
listing the folder instead of tf.train.latest_checkpoint; `optimizer.lr` is `optimizer.learning_rate`;
the model is saved as a `.keras` file instead of a SavedModel directory.
"""
import contextlib
import glob
import os
import tempfile

import numpy as np
import keras
import tensorflow as tf


class OneReplica:
    num_replicas_in_sync = 1

    def scope(self):
        return contextlib.nullcontext()


strategy = tf.distribute.MirroredStrategy() if keras.backend.backend() == "tensorflow" else OneReplica()
print("Number of devices: {}".format(strategy.num_replicas_in_sync))

num_train_examples = 256
num_test_examples = 64
BUFFER_SIZE = 1000
BATCH_SIZE_PER_REPLICA = 32
BATCH_SIZE = BATCH_SIZE_PER_REPLICA * strategy.num_replicas_in_sync

rng = np.random.default_rng(0)
train_images = rng.integers(0, 256, size=(num_train_examples, 28, 28, 1)).astype("uint8")
train_labels = rng.integers(0, 10, size=(num_train_examples,)).astype("int64")
test_images = rng.integers(0, 256, size=(num_test_examples, 28, 28, 1)).astype("uint8")
test_labels = rng.integers(0, 10, size=(num_test_examples,)).astype("int64")
mnist_train = tf.data.Dataset.from_tensor_slices((train_images, train_labels))
mnist_test = tf.data.Dataset.from_tensor_slices((test_images, test_labels))


def scale(image, label):
    image = tf.cast(image, tf.float32)
    image /= 255
    return image, label


train_dataset = mnist_train.map(scale).cache().shuffle(BUFFER_SIZE).batch(BATCH_SIZE)
eval_dataset = mnist_test.map(scale).batch(BATCH_SIZE)

with strategy.scope():
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(8, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10),
    ])
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  optimizer=keras.optimizers.Adam(),
                  metrics=["accuracy"])

# Define the checkpoint directory to store the checkpoints.
checkpoint_dir = os.path.join(tempfile.mkdtemp(), "training_checkpoints")
# Define the name of the checkpoint files.
checkpoint_prefix = os.path.join(checkpoint_dir, "ckpt_{epoch}.weights.h5")


# Define a function for decaying the learning rate.
def decay(epoch):
    if epoch < 1:
        return 1e-3
    elif epoch >= 1 and epoch < 2:
        return 1e-4
    else:
        return 1e-5


# Define a callback for printing the learning rate at the end of each epoch.
class PrintLR(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print("\nLearning rate for epoch {} is {}".format(epoch + 1, float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))))


callbacks = [
    keras.callbacks.CSVLogger(os.path.join(tempfile.mkdtemp(), "training.log")),
    keras.callbacks.ModelCheckpoint(filepath=checkpoint_prefix, save_weights_only=True),
    keras.callbacks.LearningRateScheduler(decay),
    PrintLR(),
]

EPOCHS = 3
model.fit(train_dataset, epochs=EPOCHS, callbacks=callbacks, verbose=2)
print(sorted(os.listdir(checkpoint_dir)))

latest = max(glob.glob(os.path.join(checkpoint_dir, "ckpt_*.weights.h5")), key=os.path.getmtime)
model.load_weights(latest)
eval_loss, eval_acc = model.evaluate(eval_dataset, verbose=0)
print("Eval loss: {}, Eval accuracy: {}".format(eval_loss, eval_acc))

path = os.path.join(tempfile.mkdtemp(), "saved_model.keras")
model.save(path)

unreplicated_model = keras.models.load_model(path)
unreplicated_model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.Adam(),
    metrics=["accuracy"])
eval_loss2, eval_acc2 = unreplicated_model.evaluate(eval_dataset, verbose=0)
print("Eval loss: {}, Eval Accuracy: {}".format(eval_loss2, eval_acc2))
np.testing.assert_allclose(eval_loss, eval_loss2, rtol=1e-4)

with strategy.scope():
    replicated_model = keras.models.load_model(path)
    replicated_model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                             optimizer=keras.optimizers.Adam(),
                             metrics=["accuracy"])
    eval_loss3, eval_acc3 = replicated_model.evaluate(eval_dataset, verbose=0)
    print("Eval loss: {}, Eval Accuracy: {}".format(eval_loss3, eval_acc3))
