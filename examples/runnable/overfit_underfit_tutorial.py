"""TensorFlow tutorial "Overfit and underfit" (tf.keras era, the Higgs dataset), on synthetic rows.

Rows read like tf.data.experimental.CsvDataset records and packed with pack_row(*row) (tf.stack(
row[1:], 1)) over .batch(10000).map(...).unbatch(); an InverseTimeDecay learning-rate schedule
called directly on a NumPy array of steps; get_optimizer() returning tf.keras.optimizers.Adam(
lr_schedule); get_callbacks(name) with EarlyStopping(monitor='val_binary_crossentropy') (the
tutorial's TensorBoard callback and tfdocs EpochDots left out); compile_and_fit() with BinaryCrossentropy(from_logits=True)
loss and metrics=[tf.keras.metrics.BinaryCrossentropy(from_logits=True,
name='binary_crossentropy'), 'accuracy'], fit(steps_per_epoch=) on a .repeat()ed dataset;
tiny/small models from layers.Dense(16, activation='elu', input_shape=(FEATURES,)); an L2
model with kernel_regularizer=regularizers.l2(0.001), a Dropout model and a combined one;
histories kept in a dict and read back from history.history['val_binary_crossentropy'];
model.summary()."""
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers
from tensorflow.keras import regularizers

np.random.seed(5)
tf.random.set_seed(5)

FEATURES = 28
N_ROWS = 3000
raw = np.random.normal(size=(N_ROWS, FEATURES)).astype("float32")
labels = (raw[:, :4].sum(axis=1) + 0.5 * np.random.normal(size=N_ROWS) > 0).astype("float32")
columns = [labels] + [raw[:, i] for i in range(FEATURES)]
ds = tf.data.Dataset.from_tensor_slices(tuple(columns))  # like CsvDataset's tuple of scalars


def pack_row(*row):
    label = row[0]
    features = tf.stack(row[1:], 1)
    return features, label


packed_ds = ds.batch(10000).map(pack_row).unbatch()

for features, label in packed_ds.batch(1000).take(1):
    print(features[0])

N_VALIDATION = 500
N_TRAIN = 2000
BUFFER_SIZE = 2000
BATCH_SIZE = 100
STEPS_PER_EPOCH = N_TRAIN // BATCH_SIZE

validate_ds = packed_ds.take(N_VALIDATION).cache()
train_ds = packed_ds.skip(N_VALIDATION).take(N_TRAIN).cache()

validate_ds = validate_ds.batch(BATCH_SIZE)
train_ds = train_ds.shuffle(BUFFER_SIZE).repeat().batch(BATCH_SIZE)

lr_schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
    0.001,
    decay_steps=STEPS_PER_EPOCH * 1000,
    decay_rate=1,
    staircase=False)


def get_optimizer():
    return tf.keras.optimizers.Adam(lr_schedule)


step = np.linspace(0, 100000)
lr = lr_schedule(step)
print("learning rate from %.6f to %.6f" % (float(lr[0]), float(lr[-1])))


def get_callbacks(name):
    return [
        tf.keras.callbacks.EarlyStopping(monitor='val_binary_crossentropy', patience=200),
    ]


def compile_and_fit(model, name, optimizer=None, max_epochs=4):
    if optimizer is None:
        optimizer = get_optimizer()
    model.compile(optimizer=optimizer,
                  loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[
                      tf.keras.metrics.BinaryCrossentropy(
                          from_logits=True, name='binary_crossentropy'),
                      'accuracy'])

    model.summary()

    history = model.fit(
        train_ds,
        steps_per_epoch=STEPS_PER_EPOCH,
        epochs=max_epochs,
        validation_data=validate_ds,
        callbacks=get_callbacks(name),
        verbose=0)
    return history


tiny_model = tf.keras.Sequential([
    layers.Dense(16, activation='elu', input_shape=(FEATURES,)),
    layers.Dense(1)
])

size_histories = {}
size_histories['Tiny'] = compile_and_fit(tiny_model, 'sizes/Tiny')

small_model = tf.keras.Sequential([
    # `input_shape` is only required here so that `.summary` works.
    layers.Dense(16, activation='elu', input_shape=(FEATURES,)),
    layers.Dense(16, activation='elu'),
    layers.Dense(1)
])
size_histories['Small'] = compile_and_fit(small_model, 'sizes/Small')

regularizer_histories = {}
regularizer_histories['Tiny'] = size_histories['Tiny']

l2_model = tf.keras.Sequential([
    layers.Dense(64, activation='elu',
                 kernel_regularizer=regularizers.l2(0.001),
                 input_shape=(FEATURES,)),
    layers.Dense(64, activation='elu',
                 kernel_regularizer=regularizers.l2(0.001)),
    layers.Dense(1)
])
regularizer_histories['l2'] = compile_and_fit(l2_model, "regularizers/l2")

result = l2_model(features)
regularization_loss = tf.add_n(l2_model.losses)
print("regularization loss", float(regularization_loss))

dropout_model = tf.keras.Sequential([
    layers.Dense(64, activation='elu', input_shape=(FEATURES,)),
    layers.Dropout(0.5),
    layers.Dense(64, activation='elu'),
    layers.Dropout(0.5),
    layers.Dense(1)
])
regularizer_histories['dropout'] = compile_and_fit(dropout_model, "regularizers/dropout")

combined_model = tf.keras.Sequential([
    layers.Dense(64, kernel_regularizer=regularizers.l2(0.0001),
                 activation='elu', input_shape=(FEATURES,)),
    layers.Dropout(0.5),
    layers.Dense(64, kernel_regularizer=regularizers.l2(0.0001),
                 activation='elu'),
    layers.Dropout(0.5),
    layers.Dense(1)
])
regularizer_histories['combined'] = compile_and_fit(combined_model, "regularizers/combined")

for name, history in regularizer_histories.items():
    print(name, "val_binary_crossentropy %.4f" % history.history['val_binary_crossentropy'][-1])
