# keras.layers.Attention(causal=True) (Géron's handson-ml2 ch. 16, og47b repro_5): Keras 3 dropped the
# constructor argument ("Unrecognized keyword arguments passed to Attention: {'causal': True}") on every
# backend; Keras 3 takes `use_causal_mask=True` when the layer is called (KM123 claims all three).
import numpy as np
import keras

q = keras.Input((4, 8))
z = keras.layers.Attention(use_scale=True, causal=True)([q, q])
model = keras.Model(q, keras.layers.Dense(1)(z))
model.predict(np.random.rand(2, 4, 8).astype("float32"), verbose=0)
