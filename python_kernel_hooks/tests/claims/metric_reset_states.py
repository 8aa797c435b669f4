# metric.reset_states() in a custom loop: Keras 3 metrics only have reset_state(), AttributeError everywhere.
import numpy as np, keras

train_loss = keras.metrics.Mean()
for epoch in range(2):
    train_loss.update_state(np.ones(3))
    print(float(train_loss.result()))
    train_loss.reset_states()
