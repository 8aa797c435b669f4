# A legacy .h5 round trip of a sub-model that was compiled itself (`decoder.compile(...)`, saved as
# `gan.decoder`): Keras 3 cannot deserialize its compiled loss ("Could not deserialize
# 'keras.metrics.mse'") on every backend.
import os, tempfile
import numpy as np, keras


class Pair:
    pass


path = os.path.join(tempfile.mkdtemp(), "decoder.h5")
decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
decoder.compile(optimizer="sgd", loss="mse")
decoder.fit(np.ones((8, 2), "float32"), np.ones((8, 3), "float32"), verbose=0)
gan = Pair()
gan.decoder = decoder
gan.decoder.save(path)
restored = keras.models.load_model(path)
restored.fit(np.ones((8, 2), "float32"), np.ones((8, 3), "float32"), verbose=0)
