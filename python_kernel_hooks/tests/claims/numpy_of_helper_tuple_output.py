# A module-level helper returning a tuple of keras.ops values, bound in branches (keras.io NeRF's
# render_rgb_depth once its TF ops are converted): `.numpy()` on an unpacked or subscripted element
# fails on JAX (a JAX array has no .numpy()); TensorFlow and PyTorch (no grad: NumPy inputs) run it.
import numpy as np
import keras


def render(values, rand=True):
    rgb = keras.ops.sigmoid(values)
    if rand:
        depth = keras.ops.sum(rgb, axis=-1)
    else:
        depth = keras.ops.mean(rgb, axis=-1)
    return rgb, depth


images, depths = render(np.ones((2, 3), "float32"))
print(images[0].numpy().shape, depths.numpy().shape, render(np.zeros((1, 3), "float32"))[1].numpy())
