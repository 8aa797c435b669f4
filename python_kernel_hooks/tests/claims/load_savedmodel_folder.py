# load_model() of a SavedModel folder (made empty here, as if exported earlier): Keras 3 reads only
# .keras/.h5 files, "File format not supported" on every backend.
import os
import keras

os.makedirs("exported/my_model", exist_ok=True)
model = keras.models.load_model("exported/my_model")
