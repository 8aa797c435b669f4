# TensorBoard(profile_batch=N): Keras 3 profiles on TensorFlow and JAX only, and raises "Profiling is
# not yet available with the torch backend" on PyTorch when the callback is made. Only the callback is
# made here (TensorBoard itself is not installed in the test environment, so no fit writes logs).
import tempfile, keras

tensorboard = keras.callbacks.TensorBoard(log_dir=tempfile.mkdtemp(), histogram_freq=1, profile_batch=2)
quiet = keras.callbacks.TensorBoard(log_dir=tempfile.mkdtemp(), profile_batch=0)
print(type(tensorboard).__name__, type(quiet).__name__)
