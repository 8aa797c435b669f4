"""(Hand conversion to multi-backend Keras 3: `import keras`, keras.ops.ctc_loss in the CTCLoss
function (the blank is the model's last class, as keras.backend.ctc_batch_cost used it, and the
probabilities enter as their log) and keras.ops.ctc_decode for greedy decoding; the tf.data
pipeline (tf.signal.stft, StringLookup) stays TensorFlow, which Keras 3 feeds to every backend, and
the ids are turned into text with NumPy from num_to_char.get_vocabulary(), since an inverse
StringLookup returns strings that a JAX array cannot hold.)

keras.io "Automatic Speech Recognition using CTC" (Keras 2 version) on synthetic LJSpeech-style
data: .wav files written with tf.audio.encode_wav and a metadata.csv parsed with the csv module
(the original uses pandas and downloads LJSpeech); a tf.data map reading each file with
tf.io.read_file / tf.audio.decode_wav, tf.signal.stft, tf.math.pow, reduce_mean / reduce_std
normalisation, tf.strings.unicode_split and a StringLookup(oov_token="") on the label, padded_batch;
a CTCLoss(y_true, y_pred) function passed to compile(loss=...) that builds the lengths with
tf.cast(tf.shape(...)), tf.ones and calls keras.backend.ctc_batch_cost; a DeepSpeech2-like functional
model (Reshape, Conv2D, BatchNormalization, Bidirectional GRU(reset_after=True)); and decoding
with keras.backend.ctc_decode(pred, input_length=np.ones(...) * T, greedy=True)[0][0] and
tf.strings.reduce_join(num_to_char(result)).numpy().decode, in a callback and after training."""
import csv
import os
import tempfile

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops


def wer(targets, predictions):
    """Word error rate (the original uses `from jiwer import wer`)."""
    errors, total = 0, 0
    for t, p in zip(targets, predictions):
        t, p = t.split(), p.split()
        errors += sum(a != b for a, b in zip(t, p)) + abs(len(t) - len(p))
        total += len(t)
    return errors / max(total, 1)


"""
## Synthetic LJSpeech-like data
"""

data_path = os.path.join(tempfile.mkdtemp(), "LJSpeech-1.1")
wavs_path = data_path + "/wavs/"
metadata_path = data_path + "/metadata.csv"
os.makedirs(wavs_path)
rng = np.random.default_rng(0)
phrases = ["the cat sat", "a dog ran", "it is here", "go home now"]
with open(metadata_path, "w") as f:
    for i in range(16):
        text = phrases[i % len(phrases)]
        t = np.arange(4000) / 8000.0
        audio = 0.3 * np.sin(2 * np.pi * (200 + 40 * (i % 4)) * t) + 0.02 * rng.normal(size=t.shape)
        encoded = tf.audio.encode_wav(audio.astype("float32")[:, None], 8000)
        tf.io.write_file(wavs_path + "LJ%03d.wav" % i, encoded)
        f.write("LJ%03d|%s|%s\n" % (i, text.upper(), text))

# Read metadata file and parse it
with open(metadata_path) as f:
    rows = [row for row in csv.reader(f, delimiter="|", quoting=csv.QUOTE_NONE)]
metadata = [(row[0], row[2]) for row in rows]
rng.shuffle(metadata)

split = int(len(metadata) * 0.75)
df_train = metadata[:split]
df_val = metadata[split:]

print(f"Size of the training set: {len(df_train)}")
print(f"Size of the training set: {len(df_val)}")

"""
## Preprocessing
"""

# The set of characters accepted in the transcription.
characters = [x for x in "abcdefghijklmnopqrstuvwxyz'?! "]
# Mapping characters to integers
char_to_num = keras.layers.StringLookup(vocabulary=characters, oov_token="")
# Mapping integers back to original characters
num_to_char = keras.layers.StringLookup(
    vocabulary=char_to_num.get_vocabulary(), oov_token="", invert=True
)

print(
    f"The vocabulary is: {char_to_num.get_vocabulary()} "
    f"(size ={char_to_num.vocabulary_size()})"
)



def ids_to_text(ids):
    """num_to_char + tf.strings.reduce_join in NumPy: a string tensor cannot be a JAX array."""
    vocabulary = num_to_char.get_vocabulary()
    return "".join(vocabulary[i] for i in np.asarray(ids) if 0 <= i < len(vocabulary))


# An integer scalar Tensor. The window length in samples.
frame_length = 256
# An integer scalar Tensor. The number of samples to step.
frame_step = 160
# An integer scalar Tensor. The size of the FFT to apply.
# If not provided, uses the smallest power of 2 enclosing frame_length.
fft_length = 384


def encode_single_sample(wav_file, label):
    ###########################################
    ##  Process the Audio
    ##########################################
    # 1. Read wav file
    file = tf.io.read_file(wavs_path + wav_file + ".wav")
    # 2. Decode the wav file
    audio, _ = tf.audio.decode_wav(file)
    audio = tf.squeeze(audio, axis=-1)
    # 3. Change type to float
    audio = tf.cast(audio, tf.float32)
    # 4. Get the spectrogram
    spectrogram = tf.signal.stft(
        audio, frame_length=frame_length, frame_step=frame_step, fft_length=fft_length
    )
    # 5. We only need the magnitude, which can be derived by applying tf.abs
    spectrogram = tf.abs(spectrogram)
    spectrogram = tf.math.pow(spectrogram, 0.5)
    # 6. normalisation
    means = tf.math.reduce_mean(spectrogram, 1, keepdims=True)
    stddevs = tf.math.reduce_std(spectrogram, 1, keepdims=True)
    spectrogram = (spectrogram - means) / (stddevs + 1e-10)
    ###########################################
    ##  Process the label
    ##########################################
    # 7. Convert label to Lower case
    label = tf.strings.lower(label)
    # 8. Split the label
    label = tf.strings.unicode_split(label, input_encoding="UTF-8")
    # 9. Map the characters in label to numbers
    label = char_to_num(label)
    # 10. Return a dict as our model is expecting two inputs
    return spectrogram, label


"""
## Creating `Dataset` objects
"""

batch_size = 6
# Define the trainig dataset
train_dataset = tf.data.Dataset.from_tensor_slices(
    ([name for name, _ in df_train], [text for _, text in df_train])
)
train_dataset = (
    train_dataset.map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
    .padded_batch(batch_size)
    .prefetch(buffer_size=tf.data.AUTOTUNE)
)

# Define the validation dataset
validation_dataset = tf.data.Dataset.from_tensor_slices(
    ([name for name, _ in df_val], [text for _, text in df_val])
)
validation_dataset = (
    validation_dataset.map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
    .padded_batch(batch_size)
    .prefetch(buffer_size=tf.data.AUTOTUNE)
)

for batch in train_dataset.take(1):
    spectrogram = batch[0][0].numpy()
    label = batch[1][0]
    label = ids_to_text(label)
    print("First label:", label, "spectrogram:", spectrogram.shape)

"""
## Model
"""


def CTCLoss(y_true, y_pred):
    # Compute the training-time loss value
    batch_len = ops.shape(y_true)[0]
    input_length = ops.shape(y_pred)[1]
    label_length = ops.shape(y_true)[1]

    input_length = input_length * ops.ones(shape=(batch_len,), dtype="int32")
    label_length = label_length * ops.ones(shape=(batch_len,), dtype="int32")

    # keras.backend.ctc_batch_cost used the last class as the CTC blank.
    blank = ops.shape(y_pred)[-1] - 1
    loss = ops.ctc_loss(
        ops.cast(y_true, "int32"),
        ops.log(y_pred + keras.backend.epsilon()),
        label_length,
        input_length,
        mask_index=blank,
    )
    return ops.expand_dims(loss, -1)


def build_model(input_dim, output_dim, rnn_layers=5, rnn_units=128):
    """Model similar to DeepSpeech2."""
    # Model's input
    input_spectrogram = layers.Input((None, input_dim), name="input")
    # Expand the dimension to use 2D CNN.
    x = layers.Reshape((-1, input_dim, 1), name="expand_dim")(input_spectrogram)
    # Convolution layer 1
    x = layers.Conv2D(
        filters=8,
        kernel_size=[11, 41],
        strides=[1, 2],
        padding="same",
        use_bias=False,
        name="conv_1",
    )(x)
    x = layers.BatchNormalization(name="conv_1_bn")(x)
    x = layers.ReLU(name="conv_1_relu")(x)
    # Convolution layer 2
    x = layers.Conv2D(
        filters=8,
        kernel_size=[11, 21],
        strides=[1, 2],
        padding="same",
        use_bias=False,
        name="conv_2",
    )(x)
    x = layers.BatchNormalization(name="conv_2_bn")(x)
    x = layers.ReLU(name="conv_2_relu")(x)
    # Reshape the resulted volume to feed the RNNs layers
    x = layers.Reshape((-1, x.shape[-2] * x.shape[-1]))(x)
    # RNN layers
    for i in range(1, rnn_layers + 1):
        recurrent = layers.GRU(
            units=rnn_units,
            activation="tanh",
            recurrent_activation="sigmoid",
            use_bias=True,
            return_sequences=True,
            reset_after=True,
            name=f"gru_{i}",
        )
        x = layers.Bidirectional(
            recurrent, name=f"bidirectional_{i}", merge_mode="concat"
        )(x)
        if i < rnn_layers:
            x = layers.Dropout(rate=0.5)(x)
    # Dense layer
    x = layers.Dense(units=rnn_units * 2, name="dense_1")(x)
    x = layers.ReLU(name="dense_1_relu")(x)
    x = layers.Dropout(rate=0.5)(x)
    # Classification layer
    output = layers.Dense(units=output_dim + 1, activation="softmax")(x)
    # Model
    model = keras.Model(input_spectrogram, output, name="DeepSpeech_2")
    # Optimizer
    opt = keras.optimizers.Adam(learning_rate=1e-4)
    # Compile the model and return
    model.compile(optimizer=opt, loss=CTCLoss)
    return model


# Get the model
model = build_model(
    input_dim=fft_length // 2 + 1,
    output_dim=char_to_num.vocabulary_size(),
    rnn_layers=2,
    rnn_units=16,
)
model.summary(line_length=110)

"""
## Training and Evaluating
"""


# A utility function to decode the output of the network
def decode_batch_predictions(pred):
    input_len = np.ones(pred.shape[0], dtype="int32") * pred.shape[1]
    # Use greedy search. For complex tasks, you can use beam search
    results = ops.ctc_decode(
        pred, sequence_lengths=input_len, strategy="greedy", mask_index=pred.shape[-1] - 1
    )[0][0]
    results = ops.convert_to_numpy(results)
    # Iterate over the results and get back the text
    output_text = []
    for result in results:
        result = ids_to_text(result)
        output_text.append(result)
    return output_text


# A callback class to output a few transcriptions during training
class CallbackEval(keras.callbacks.Callback):
    """Displays a batch of outputs after every epoch."""

    def __init__(self, dataset):
        super().__init__()
        self.dataset = dataset

    def on_epoch_end(self, epoch: int, logs=None):
        predictions = []
        targets = []
        for batch in self.dataset:
            X, y = batch
            batch_predictions = model.predict(X, verbose=0)
            batch_predictions = decode_batch_predictions(batch_predictions)
            predictions.extend(batch_predictions)
            for label in y:
                label = ids_to_text(label)
                targets.append(label)
        wer_score = wer(targets, predictions)
        print("-" * 100)
        print(f"Word Error Rate: {wer_score:.4f}")
        print("-" * 100)
        for i in np.random.randint(0, len(predictions), 2):
            print(f"Target    : {targets[i]}")
            print(f"Prediction: {predictions[i]}")
            print("-" * 100)


# Define the number of epochs.
epochs = 2
# Callback function to check transcription on the val set.
validation_callback = CallbackEval(validation_dataset)
# Train the model
history = model.fit(
    train_dataset,
    validation_data=validation_dataset,
    epochs=epochs,
    callbacks=[validation_callback],
    verbose=2,
)

"""
## Inference
"""

# Let's check results on more validation samples
predictions = []
targets = []
for batch in validation_dataset:
    X, y = batch
    batch_predictions = model.predict(X, verbose=0)
    batch_predictions = decode_batch_predictions(batch_predictions)
    predictions.extend(batch_predictions)
    for label in y:
        label = ids_to_text(label)
        targets.append(label)
wer_score = wer(targets, predictions)
print("-" * 100)
print(f"Word Error Rate: {wer_score:.4f}")
print("-" * 100)
assert len(predictions) == len(targets) == len(df_val)
assert np.isfinite(history.history["loss"][-1])
