# A TF op in a Lambda layer's function: JAX traces it everywhere, but on PyTorch it meets tensors
# that require grad only where its model trains or is called directly. The sampler model here is
# only given to predict() (under torch.no_grad()), though another model is trained: PyTorch runs it.
import numpy as np, keras, tensorflow as tf

trained = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
trained.compile("sgd", "mse")
trained.fit(np.ones((8, 4)), np.ones((8, 3)), verbose=0, epochs=1)

inputs = keras.Input((4,))
logits = trained(inputs, training=False)
sampling = keras.layers.Lambda(lambda t: tf.reshape(tf.nn.softmax(t), (-1, 3)))
outputs = sampling(logits)
sampler = keras.Model(inputs, outputs)
print(sampler.predict(np.ones((2, 4)), verbose=0).shape)
