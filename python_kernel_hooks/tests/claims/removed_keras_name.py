# A Keras 2 name Keras 3 removed from keras and from TensorFlow's tf.keras alike (model_from_yaml):
# AttributeError on every backend.
import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
restored = keras.models.model_from_yaml(model.to_json())
print(restored.count_params())
