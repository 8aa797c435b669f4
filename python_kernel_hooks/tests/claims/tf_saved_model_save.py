# tf.saved_model.save() of a Keras model: a TF Trackable only on the TensorFlow backend; JAX and
# PyTorch raise "Expected an object of type `Trackable`".
import numpy as np, keras, tensorflow as tf

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.predict(np.ones((2, 3), "float32"), verbose=0)
tf.saved_model.save(model, "saved_model/my_model")
