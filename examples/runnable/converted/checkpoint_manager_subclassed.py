"""Hand conversion of the TensorFlow guide "Training checkpoints" (tf.keras era) to multi-backend
Keras 3.

tf.train.Checkpoint tracks TensorFlow Trackables, which Keras 3 models and optimizers are only on
the TensorFlow backend. The model's weights are saved with save_weights() after every epoch, and
the optimizer's state with its own save_own_variables() into an .npz file, under an epoch number
(the last three kept, as max_to_keep=3 did); the newest of them is restored before training and
into the fresh model. The optimizer of the fresh model is built over its trainable variables
before its state is loaded.

The original: TensorFlow guide "Training checkpoints" (tf.keras era) on synthetic regression data.

A tf.keras.Model subclass and a tf.keras.optimizers.Adam tracked by
tf.train.Checkpoint(optimizer=opt, net=net); a tf.train.CheckpointManager(ckpt, folder,
max_to_keep=3) that restores manager.latest_checkpoint before training ("Initializing from
scratch." when there is none) and saves after every epoch of fit(); then a fresh model, built by a
call, restored with a new tf.train.Checkpoint from tf.train.latest_checkpoint(folder), whose
predictions match the trained model's."""
import glob
import os
import tempfile

import keras
import numpy as np

np.random.seed(0)
keras.utils.set_random_seed(0)

x = np.random.rand(256, 8).astype("float32")
y = (x @ np.random.rand(8, 1) + 0.1).astype("float32")


class Net(keras.Model):
    """A simple linear model with a hidden layer."""

    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.out = keras.layers.Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def save_checkpoint(folder, step, net, optimizer, max_to_keep=3):
    os.makedirs(folder, exist_ok=True)
    net.save_weights(os.path.join(folder, "ckpt-%d-net.weights.h5" % step))
    store = {}
    optimizer.save_own_variables(store)
    np.savez(os.path.join(folder, "ckpt-%d-optimizer.npz" % step), **store)
    for old in checkpoint_steps(folder)[:-max_to_keep]:
        for path in glob.glob(os.path.join(folder, "ckpt-%d-*" % old)):
            os.remove(path)


def checkpoint_steps(folder):
    paths = glob.glob(os.path.join(folder, "ckpt-*-net.weights.h5"))
    return sorted(int(os.path.basename(p).split("-")[1]) for p in paths)


def latest_checkpoint(folder):
    steps = checkpoint_steps(folder)
    return os.path.join(folder, "ckpt-%d" % steps[-1]) if steps else None


def restore_checkpoint(prefix, net, optimizer):
    net.load_weights(prefix + "-net.weights.h5")
    if not optimizer.built:
        optimizer.build(net.trainable_variables)
    with np.load(prefix + "-optimizer.npz") as store:
        optimizer.load_own_variables({k: store[k] for k in store.files})


net = Net()
opt = keras.optimizers.Adam(0.01)
net.compile(optimizer=opt, loss="mse")

ckpt_dir = os.path.join(tempfile.mkdtemp(), "tf_ckpts")
saves = 0

if latest_checkpoint(ckpt_dir):
    net(x[:1])
    restore_checkpoint(latest_checkpoint(ckpt_dir), net, opt)
    print("Restored from {}".format(latest_checkpoint(ckpt_dir)))
else:
    print("Initializing from scratch.")

for epoch in range(3):
    history = net.fit(x, y, batch_size=32, epochs=1, verbose=0)
    saves += 1
    save_checkpoint(ckpt_dir, saves, net, opt)
    print("epoch", epoch + 1, "loss {:.4f}".format(history.history["loss"][-1]))

print("latest:", os.path.basename(str(latest_checkpoint(ckpt_dir))))

# A fresh model: build it by a call, then restore the latest checkpoint into it.
new_net = Net()
new_net(x[:1])
new_opt = keras.optimizers.Adam(0.01)
restore_checkpoint(latest_checkpoint(ckpt_dir), new_net, new_opt)

expected = net.predict(x[:16], verbose=0)
restored = new_net.predict(x[:16], verbose=0)
print("max difference after restore:", float(np.abs(expected - restored).max()))
assert np.allclose(expected, restored, atol=1e-6), "the restored model differs"
assert int(keras.ops.convert_to_numpy(new_opt.iterations)) == int(keras.ops.convert_to_numpy(opt.iterations)), "the optimizer state differs"
print("optimizer iterations restored:", int(keras.ops.convert_to_numpy(new_opt.iterations)))
