# A named function in a Lambda layer, model rebuilt with clone_model: Keras 3 looks the function up
# by name ("Could not locate function 'double'") on every backend.
import keras


def double(t):
    return t * 2.0


inputs = keras.Input((3,))
model = keras.Model(inputs, keras.layers.Lambda(double)(inputs))
ema_model = keras.models.clone_model(model)
