"""TensorFlow tutorial "Generate music with an RNN" (tf.keras era), on synthetic notes instead of MIDI files.

Notes as (pitch, step, duration) rows, training windows from tf.data window/flat_map/batch with a
split into inputs and a labels dict, an LSTM model with three named Dense heads returned as a dict,
a custom `mse_with_positive_pressure` loss (tf.maximum, tf.reduce_mean) in a per-output loss dict with
loss_weights, ModelCheckpoint(save_weights_only) to a `ckpt_{epoch}` prefix, EarlyStopping, and
autoregressive generation with tf.expand_dims, model.predict and tf.random.categorical.
"""
import os
import tempfile

import numpy as np
import tensorflow as tf

seed = 42
tf.random.set_seed(seed)
np.random.seed(seed)

# Synthetic "MIDI" notes in place of pretty_midi parsing (a dict of columns standing in for the DataFrame).
n_notes = 600
raw_notes = dict({
    "pitch": np.random.randint(40, 80, size=n_notes),
    "step": np.random.exponential(0.2, size=n_notes),
    "duration": np.random.exponential(0.3, size=n_notes),
})
key_order = ["pitch", "step", "duration"]
train_notes = np.stack([raw_notes[key] for key in key_order], axis=1)
notes_ds = tf.data.Dataset.from_tensor_slices(train_notes)
print(notes_ds.element_spec)

seq_length = 25
vocab_size = 128


def create_sequences(dataset: tf.data.Dataset, seq_length: int, vocab_size=128) -> tf.data.Dataset:
    """Returns TF Dataset of sequence and label examples."""
    seq_length = seq_length + 1
    # Take 1 extra for the labels
    windows = dataset.window(seq_length, shift=1, stride=1, drop_remainder=True)
    # `flat_map` flattens the" dataset of datasets" into a dataset of tensors
    flatten = lambda x: x.batch(seq_length, drop_remainder=True)
    sequences = windows.flat_map(flatten)

    # Normalize note pitch
    def scale_pitch(x):
        x = x / [vocab_size, 1.0, 1.0]
        return x

    # Split the labels
    def split_labels(sequences):
        inputs = sequences[:-1]
        labels_dense = sequences[-1]
        labels = {key: labels_dense[i] for i, key in enumerate(key_order)}
        return scale_pitch(inputs), labels

    return sequences.map(split_labels, num_parallel_calls=tf.data.AUTOTUNE)


seq_ds = create_sequences(notes_ds, seq_length, vocab_size)
print(seq_ds.element_spec)

batch_size = 64
buffer_size = n_notes - seq_length
train_ds = (seq_ds.shuffle(buffer_size).batch(batch_size, drop_remainder=True)
            .cache().prefetch(tf.data.experimental.AUTOTUNE))


def mse_with_positive_pressure(y_true: tf.Tensor, y_pred: tf.Tensor):
    mse = (y_true - y_pred) ** 2
    positive_pressure = 10 * tf.maximum(-y_pred, 0.0)
    return tf.reduce_mean(mse + positive_pressure)


input_shape = (seq_length, 3)
learning_rate = 0.005

inputs = tf.keras.Input(input_shape)
x = tf.keras.layers.LSTM(64)(inputs)
outputs = {
    "pitch": tf.keras.layers.Dense(128, name="pitch")(x),
    "step": tf.keras.layers.Dense(1, name="step")(x),
    "duration": tf.keras.layers.Dense(1, name="duration")(x),
}
model = tf.keras.Model(inputs, outputs)

loss = {
    "pitch": tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    "step": mse_with_positive_pressure,
    "duration": mse_with_positive_pressure,
}
optimizer = tf.keras.optimizers.Adam(learning_rate=learning_rate)
model.compile(
    loss=loss,
    loss_weights={"pitch": 0.05, "step": 1.0, "duration": 1.0},
    optimizer=optimizer,
)
model.summary()
losses = model.evaluate(train_ds, return_dict=True, verbose=0)
print(losses)

callbacks = [
    tf.keras.callbacks.ModelCheckpoint(
        filepath=os.path.join(tempfile.mkdtemp(), "training_checkpoints", "ckpt_{epoch}"),
        save_weights_only=True),
    tf.keras.callbacks.EarlyStopping(monitor="loss", patience=5, verbose=1, restore_best_weights=True),
]
history = model.fit(train_ds, epochs=3, callbacks=callbacks, verbose=2)
print(sorted(history.history))


def predict_next_note(notes: np.ndarray, keras_model: tf.keras.Model, temperature: float = 1.0) -> tuple:
    """Generates a note as a tuple of (pitch, step, duration), using a trained sequence model."""
    assert temperature > 0
    # Add batch dimension
    inputs = tf.expand_dims(notes, 0)
    predictions = model.predict(inputs, verbose=0)
    pitch_logits = predictions["pitch"]
    step = predictions["step"]
    duration = predictions["duration"]

    pitch_logits /= temperature
    pitch = tf.random.categorical(pitch_logits, num_samples=1)
    pitch = tf.squeeze(pitch, axis=-1)
    duration = tf.squeeze(duration, axis=-1)
    step = tf.squeeze(step, axis=-1)

    # `step` and `duration` values should be non-negative
    step = tf.maximum(0, step)
    duration = tf.maximum(0, duration)
    return int(pitch[0]), float(step[0]), float(duration[0])


temperature = 2.0
num_predictions = 10
sample_notes = np.stack([raw_notes[key] for key in key_order], axis=1)
# The initial sequence of notes; pitch is normalized similar to training sequences
input_notes = sample_notes[:seq_length] / np.array([vocab_size, 1, 1])

generated_notes = []
prev_start = 0
for _ in range(num_predictions):
    pitch, step, duration = predict_next_note(input_notes, model, temperature)
    start = prev_start + step
    end = start + duration
    input_note = (pitch, step, duration)
    generated_notes.append((*input_note, start, end))
    input_notes = np.delete(input_notes, 0, axis=0)
    input_notes = np.append(input_notes, np.expand_dims(input_note, 0), axis=0)
    prev_start = start

print((*key_order, "start", "end"))
print(np.array(generated_notes)[:5])
