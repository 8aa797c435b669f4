# keras.io integrated gradients: the top class of a model output picked with a TensorFlow index
# (`preds[:, tf.argmax(preds[0])]`) outside a tape. A JAX array or a torch tensor takes no
# TensorFlow index: fails on JAX ("only integers, slices ... are valid indices") and PyTorch
# ("Scalar tensor has no len()"); runs on TensorFlow.
import numpy as np
import tensorflow as tf
import keras

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
images = np.random.rand(2, 4).astype("float32")
preds = model.predict(images, verbose=0)
outputs = model(images)
top_pred_idx = tf.argmax(preds[0])
top_class = outputs[:, top_pred_idx]
print(keras.ops.convert_to_numpy(top_class))
