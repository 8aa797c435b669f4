# The TF autoencoder tutorial's threshold: NumPy reductions of a Keras loss value. np.mean / np.std
# call the tensor's own mean() / std() with NumPy's keywords, which a torch tensor refuses
# ("mean() got an unexpected keyword argument 'axis'"), grad or not. TensorFlow and JAX run it.
import numpy as np
import keras

reconstructions = np.random.rand(8, 140).astype("float32")
train_loss = keras.losses.mean_absolute_error(reconstructions, np.ones((8, 140), "float32"))
threshold = np.mean(train_loss) + np.std(train_loss)
print(threshold)
