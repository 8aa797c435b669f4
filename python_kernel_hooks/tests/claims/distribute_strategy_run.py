# A tf.distribute strategy running, inside a tf.function, a step that calls a Keras model: the
# strategy traces the step as TensorFlow graph code on symbolic tensors, which a Keras 3 model on
# JAX or PyTorch cannot run ("Cannot convert a symbolic tf.Tensor"); TensorFlow runs it.
import keras
import numpy as np
import tensorflow as tf

strategy = tf.distribute.MirroredStrategy()
with strategy.scope():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])


def predict_step(x):
    return model(x, training=False)


@tf.function
def distributed_predict_step(batch):
    return strategy.run(predict_step, args=(batch,))


dataset = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices(np.ones((4, 3), "float32")).batch(2))
for batch in dataset:
    outputs = distributed_predict_step(batch)
    print(strategy.experimental_local_results(outputs)[0].shape)
