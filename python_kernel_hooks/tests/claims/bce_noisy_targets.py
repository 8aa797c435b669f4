# keras.io DCGAN's label trick: uniform noise added to targets made of ones and zeros, then a
# binary cross-entropy on probabilities. PyTorch rejects targets above 1 ("all elements of
# target should be between 0 and 1"); TensorFlow and JAX compute the loss.
import keras

loss_fn = keras.losses.BinaryCrossentropy()
labels = keras.ops.concatenate([keras.ops.ones((4, 1)), keras.ops.zeros((4, 1))], axis=0)
labels += 0.05 * keras.random.uniform(keras.ops.shape(labels))
print(float(loss_fn(labels, keras.ops.full((8, 1), 0.6))))
