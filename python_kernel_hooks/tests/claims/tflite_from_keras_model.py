# TFLiteConverter.from_keras_model(): TensorFlow and JAX convert a Keras 3 model, PyTorch fails (_get_save_spec).
import numpy as np, keras
import tensorflow as tf

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.predict(np.ones((2, 3), "float32"), verbose=0)
tflite_model = tf.lite.TFLiteConverter.from_keras_model(model).convert()
assert len(tflite_model) > 0
