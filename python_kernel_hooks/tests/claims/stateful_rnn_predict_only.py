# A stateful LSTM only used to predict (state carried across calls, reset by hand): only training
# breaks PyTorch's autograd, so this runs on every backend.
import numpy as np, keras

lstm = keras.layers.LSTM(2, stateful=True)
model = keras.Sequential([keras.Input((4, 3), batch_size=2), lstm, keras.layers.Dense(1)])
for _ in range(2):
    model.predict(np.ones((2, 4, 3), "float32"), verbose=0)
lstm.reset_states()
