# tf.train.Checkpoint(**checkpoint_kwargs) in a wrapper class given a dict of Keras objects (LynnHo's tf2lib
# Checkpoint, og47c repro_2): a Keras 3 model or optimizer is a TensorFlow Trackable only on TensorFlow, so JAX and
# PyTorch raise "`Checkpoint` was expecting model to be a trackable object" (KM241 claims JAX and PyTorch).
import tempfile

import tensorflow as tf
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
optimizer = keras.optimizers.Adam()


class Checkpoint:
    def __init__(self, checkpoint_kwargs, directory, max_to_keep=5):
        self.checkpoint = tf.train.Checkpoint(**checkpoint_kwargs)
        self.manager = tf.train.CheckpointManager(self.checkpoint, directory, max_to_keep)


ckpt = Checkpoint(dict(model=model, optimizer=optimizer), tempfile.mkdtemp())
ckpt.manager.save()
print("DONE")
