# keras.io Grad-CAM's grad model on a Sequential model never called on a tensor: Keras 3.15 has no
# `.output` there (AttributeError on TensorFlow, JAX and PyTorch).
import numpy as np
import keras

model = keras.Sequential(
    [keras.Input((8, 8, 3)), keras.layers.Conv2D(4, 3, name="conv"), keras.layers.Flatten(), keras.layers.Dense(2)]
)
grad_model = keras.models.Model([model.inputs], [model.get_layer("conv").output, model.output])
conv, preds = grad_model(np.ones((1, 8, 8, 3), "float32"))
print(conv.shape, preds.shape)
