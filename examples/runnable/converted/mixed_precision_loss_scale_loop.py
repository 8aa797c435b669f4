"""(Hand conversion to Keras 3: TensorFlow backend only for the custom loop, which is a
tf.GradientTape step (JAX and PyTorch need jax.grad / torch.autograd code instead). Keras 3's
LossScaleOptimizer has `scale_loss(loss)` instead of `get_scaled_loss`, and its
`apply_gradients` unscales the gradients itself (no `get_unscaled_gradients`). A dtype is a
string in Keras 3 (`keras.backend.standardize_dtype` names it). `import keras`.)
TensorFlow "Mixed precision" guide (tf.keras era, TF 2.4+) on synthetic data.

mixed_precision.Policy('mixed_float16') set globally, a functional model whose float32
softmax is a separate Activation(dtype='float32'), the policy's compute/variable dtypes
and KerasTensor `.dtype.name`, fit() with RMSprop, then the guide's custom training loop:
LossScaleOptimizer(Adam()) with optimizer.get_scaled_loss(loss) inside a @tf.function
GradientTape step and optimizer.get_unscaled_gradients(scaled_gradients) before
apply_gradients, model.set_weights(initial_weights) to start over.
"""
import numpy as np
import tensorflow as tf
import keras
from keras import layers
from keras import mixed_precision

np.random.seed(0)
tf.random.set_seed(0)

policy = mixed_precision.Policy('mixed_float16')
mixed_precision.set_global_policy(policy)

print('Compute dtype: %s' % policy.compute_dtype)
print('Variable dtype: %s' % policy.variable_dtype)

num_units = 64


def get_model():
    inputs = keras.Input(shape=(32,), name='digits')
    dense1 = layers.Dense(num_units, activation='relu', name='dense_1')
    x = dense1(inputs)
    dense2 = layers.Dense(num_units, activation='relu', name='dense_2')
    x = dense2(x)
    print(dense1.dtype_policy)
    print('x.dtype: %s' % keras.backend.standardize_dtype(x.dtype))
    # 'kernel' is dense1's variable
    print('dense1.kernel.dtype: %s' % keras.backend.standardize_dtype(dense1.kernel.dtype))
    # CORRECT: softmax and model output are float32
    x = layers.Dense(10, name='dense_logits')(x)
    outputs = layers.Activation('softmax', dtype='float32', name='predictions')(x)
    print('Outputs dtype: %s' % keras.backend.standardize_dtype(outputs.dtype))
    return keras.Model(inputs=inputs, outputs=outputs)


x_train = np.random.normal(size=(512, 32)).astype('float32')
y_train = np.argmax(x_train[:, :10], axis=1).astype('int64')
x_test = np.random.normal(size=(128, 32)).astype('float32')
y_test = np.argmax(x_test[:, :10], axis=1).astype('int64')

model = get_model()
model.compile(loss='sparse_categorical_crossentropy',
              optimizer=keras.optimizers.RMSprop(),
              metrics=['accuracy'])
initial_weights = model.get_weights()

history = model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2, verbose=2)
test_scores = model.evaluate(x_test, y_test, verbose=2)
print('Test loss:', test_scores[0])
print('Test accuracy:', test_scores[1])

# Loss scaling: float16 overflows where float32 does not.
x = tf.constant(256, dtype='float16')
print((x ** 2).numpy())  # Overflow
x = tf.constant(1e-5, dtype='float16')
print((x ** 2).numpy())  # Underflow

# Training the model with a custom training loop.
model = get_model()
optimizer = keras.optimizers.Adam()
optimizer = mixed_precision.LossScaleOptimizer(optimizer)

loss_object = keras.losses.SparseCategoricalCrossentropy()
train_dataset = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
                 .shuffle(10000).batch(64))
test_dataset = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(64)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        predictions = model(x)
        loss = loss_object(y, predictions)
        scaled_loss = optimizer.scale_loss(loss)
    scaled_gradients = tape.gradient(scaled_loss, model.trainable_variables)
    # Keras 3's LossScaleOptimizer unscales the gradients in apply_gradients.
    optimizer.apply_gradients(zip(scaled_gradients, model.trainable_variables))
    return loss


@tf.function
def test_step(x):
    return model(x, training=False)


model.set_weights(initial_weights)

for epoch in range(3):
    epoch_loss_avg = keras.metrics.Mean()
    test_accuracy = keras.metrics.SparseCategoricalAccuracy(
        name='test_accuracy')
    for x, y in train_dataset:
        loss = train_step(x, y)
        epoch_loss_avg(loss)
    for x, y in test_dataset:
        predictions = test_step(x)
        test_accuracy.update_state(y, predictions)
    print('Epoch {}: loss={}, test accuracy={}'.format(epoch, epoch_loss_avg.result(), test_accuracy.result()))

assert np.isfinite(float(epoch_loss_avg.result()))
