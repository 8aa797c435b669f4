# keras.optimizers.legacy: "not supported in Keras 3" (ImportError) on every backend.
import keras

opt = keras.optimizers.legacy.Adam(0.01)
