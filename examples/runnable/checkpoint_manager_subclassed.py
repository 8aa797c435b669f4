"""TensorFlow guide "Training checkpoints" (tf.keras era) on synthetic regression data.

A tf.keras.Model subclass and a tf.keras.optimizers.Adam tracked by
tf.train.Checkpoint(optimizer=opt, net=net); a tf.train.CheckpointManager(ckpt, folder,
max_to_keep=3) that restores manager.latest_checkpoint before training ("Initializing from
scratch." when there is none) and saves after every epoch of fit(); then a fresh model, built by a
call, restored with a new tf.train.Checkpoint from tf.train.latest_checkpoint(folder), whose
predictions match the trained model's."""
import os
import tempfile

import numpy as np
import tensorflow as tf

np.random.seed(0)
tf.random.set_seed(0)

x = np.random.rand(256, 8).astype("float32")
y = (x @ np.random.rand(8, 1) + 0.1).astype("float32")


class Net(tf.keras.Model):
    """A simple linear model with a hidden layer."""

    def __init__(self):
        super(Net, self).__init__()
        self.hidden = tf.keras.layers.Dense(16, activation="relu")
        self.out = tf.keras.layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


net = Net()
opt = tf.keras.optimizers.Adam(0.01)
net.compile(optimizer=opt, loss="mse")

ckpt_dir = os.path.join(tempfile.mkdtemp(), "tf_ckpts")
ckpt = tf.train.Checkpoint(optimizer=opt, net=net)
manager = tf.train.CheckpointManager(ckpt, ckpt_dir, max_to_keep=3)

ckpt.restore(manager.latest_checkpoint)
if manager.latest_checkpoint:
    print("Restored from {}".format(manager.latest_checkpoint))
else:
    print("Initializing from scratch.")

for epoch in range(3):
    history = net.fit(x, y, batch_size=32, epochs=1, verbose=0)
    manager.save()
    print("epoch", epoch + 1, "loss {:.4f}".format(history.history["loss"][-1]))

print("latest:", os.path.basename(str(manager.latest_checkpoint)))

# A fresh model: build it by a call, then restore the latest checkpoint into it.
new_net = Net()
new_net(x[:1])
new_opt = tf.keras.optimizers.Adam(0.01)
new_ckpt = tf.train.Checkpoint(optimizer=new_opt, net=new_net)
new_ckpt.restore(tf.train.latest_checkpoint(ckpt_dir)).expect_partial()

expected = net.predict(x[:16], verbose=0)
restored = new_net.predict(x[:16], verbose=0)
print("max difference after restore:", float(np.abs(expected - restored).max()))
assert np.allclose(expected, restored, atol=1e-6), "the restored model differs"
