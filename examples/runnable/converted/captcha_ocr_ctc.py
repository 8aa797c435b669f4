"""keras.io "OCR model for reading Captchas" (tf.keras version) on synthetic captcha PNGs written
to a temporary directory: file names as labels, StringLookup char_to_num / num_to_char(invert=True),
a tf.data map reading the PNG (tf.io.read_file, decode_png, convert_image_dtype, resize, transpose)
and splitting the label with tf.strings.unicode_split; a CTCLayer endpoint keeping
keras.backend.ctc_batch_cost and calling self.add_loss with tf.shape / tf.cast / tf.ones lengths;
a CNN + Bidirectional LSTM model compiled without a loss, EarlyStopping(restore_best_weights=True),
a prediction model cut from get_layer(name=...).input/.output, and keras.backend.ctc_decode
with tf.strings.reduce_join(num_to_char(res)).numpy().decode().

Keras 3 conversion: `import keras`; keras.ops.ctc_loss / keras.ops.ctc_decode replace the removed
keras.backend.ctc_batch_cost / ctc_decode (Keras 2 put the CTC blank at the last class: mask_index
says so; ctc_loss takes logits and lengths of shape (batch,), so the softmax output goes in as its
log); the CTC layer uses keras.ops; the prediction model starts from the Input layer's .output (an
InputLayer's .input is empty in Keras 3); decoded ids go back through the inverted StringLookup as
TensorFlow tensors (tf.data keeps its tf ops: it runs on every backend)."""
import os
import tempfile
from pathlib import Path

import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

"""
## Make a small synthetic captcha dataset (fixed-length labels, one glyph per character)
"""

rng = np.random.RandomState(0)
GLYPHS = {c: rng.rand(12, 6) > 0.5 for c in "23456bcdx"}
data_dir = Path(tempfile.mkdtemp()) / "captcha_images_v2"
data_dir.mkdir()
for _ in range(48):
    text = "".join(rng.choice(list(GLYPHS), size=4))
    canvas = np.full((16, 32), 230, dtype=np.uint8)
    for k, ch in enumerate(text):
        canvas[2:14, 2 + 7 * k : 8 + 7 * k][GLYPHS[ch]] = 30
    canvas = np.clip(canvas + rng.randint(0, 20, canvas.shape), 0, 255).astype(np.uint8)
    tf.io.write_file(str(data_dir / f"{text}.png"), tf.io.encode_png(canvas[..., None]))

# Get list of all the images
images = sorted(list(map(str, list(data_dir.glob("*.png")))))
labels = [img.split(os.path.sep)[-1].split(".png")[0] for img in images]
characters = set(char for label in labels for char in label)
characters = sorted(list(characters))

print("Number of images found: ", len(images))
print("Number of labels found: ", len(labels))
print("Number of unique characters: ", len(characters))
print("Characters present: ", characters)

# Batch size for training and validation
batch_size = 16

# Desired image dimensions
img_width = 32
img_height = 16

# Factor by which the image is going to be downsampled
# by the convolutional blocks. We will be using two
# convolution blocks and each block will have
# a pooling layer which downsample the features by a factor of 2.
# Hence total downsampling factor would be 4.
downsample_factor = 4

# Maximum length of any captcha in the dataset
max_length = max([len(label) for label in labels])

"""
## Preprocessing
"""

# Mapping characters to integers
char_to_num = layers.StringLookup(vocabulary=list(characters), mask_token=None)

# Mapping integers back to original characters
num_to_char = layers.StringLookup(
    vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True
)


def split_data(images, labels, train_size=0.9, shuffle=True):
    # 1. Get the total size of the dataset
    size = len(images)
    # 2. Make an indices array and shuffle it, if required
    indices = np.arange(size)
    if shuffle:
        np.random.shuffle(indices)
    # 3. Get the size of training samples
    train_samples = int(size * train_size)
    # 4. Split data into training and validation sets
    x_train, y_train = images[indices[:train_samples]], labels[indices[:train_samples]]
    x_valid, y_valid = images[indices[train_samples:]], labels[indices[train_samples:]]
    return x_train, x_valid, y_train, y_valid


# Splitting data into training and validation sets
x_train, x_valid, y_train, y_valid = split_data(np.array(images), np.array(labels), train_size=0.75)


def encode_single_sample(img_path, label):
    # 1. Read image
    img = tf.io.read_file(img_path)
    # 2. Decode and convert to grayscale
    img = tf.io.decode_png(img, channels=1)
    # 3. Convert to float32 in [0, 1] range
    img = tf.image.convert_image_dtype(img, tf.float32)
    # 4. Resize to the desired size
    img = tf.image.resize(img, [img_height, img_width])
    # 5. Transpose the image because we want the time
    # dimension to correspond to the width of the image.
    img = tf.transpose(img, perm=[1, 0, 2])
    # 6. Map the characters in label to numbers
    label = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
    # 7. Return a dict as our model is expecting two inputs
    return {"image": img, "label": label}


"""
## Create `Dataset` objects
"""

train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
train_dataset = (
    train_dataset.map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
    .batch(batch_size)
    .prefetch(buffer_size=tf.data.AUTOTUNE)
)

validation_dataset = tf.data.Dataset.from_tensor_slices((x_valid, y_valid))
validation_dataset = (
    validation_dataset.map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
    .batch(batch_size)
    .prefetch(buffer_size=tf.data.AUTOTUNE)
)

"""
## Model
"""


class CTCLayer(layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = ops.ctc_loss

    def call(self, y_true, y_pred):
        # Compute the training-time loss value and add it
        # to the layer using `self.add_loss()`.
        batch_len = ops.shape(y_true)[0]
        input_length = ops.shape(y_pred)[1]
        label_length = ops.shape(y_true)[1]

        input_length = input_length * ops.ones(shape=(batch_len,), dtype="int32")
        label_length = label_length * ops.ones(shape=(batch_len,), dtype="int32")

        blank = ops.shape(y_pred)[-1] - 1
        loss = self.loss_fn(
            ops.cast(y_true, "int32"), ops.log(y_pred + 1e-7), label_length, input_length, mask_index=blank
        )
        self.add_loss(ops.mean(loss))

        # At test time, just return the computed predictions
        return y_pred


def build_model():
    # Inputs to the model
    input_img = layers.Input(
        shape=(img_width, img_height, 1), name="image", dtype="float32"
    )
    labels = layers.Input(name="label", shape=(None,), dtype="float32")

    # First conv block
    x = layers.Conv2D(
        8,
        (3, 3),
        activation="relu",
        kernel_initializer="he_normal",
        padding="same",
        name="Conv1",
    )(input_img)
    x = layers.MaxPooling2D((2, 2), name="pool1")(x)

    # Second conv block
    x = layers.Conv2D(
        16,
        (3, 3),
        activation="relu",
        kernel_initializer="he_normal",
        padding="same",
        name="Conv2",
    )(x)
    x = layers.MaxPooling2D((2, 2), name="pool2")(x)

    # We have used two max pool with pool size and strides 2.
    # Hence, downsampled feature maps are 4x smaller. The number of
    # filters in the last layer is 16. Reshape accordingly before
    # passing the output to the RNN part of the model
    new_shape = ((img_width // 4), (img_height // 4) * 16)
    x = layers.Reshape(target_shape=new_shape, name="reshape")(x)
    x = layers.Dense(16, activation="relu", name="dense1")(x)
    x = layers.Dropout(0.2)(x)

    # RNNs
    x = layers.Bidirectional(layers.LSTM(16, return_sequences=True, dropout=0.25))(x)
    x = layers.Bidirectional(layers.LSTM(8, return_sequences=True, dropout=0.25))(x)

    # Output layer
    x = layers.Dense(
        len(char_to_num.get_vocabulary()) + 1, activation="softmax", name="dense2"
    )(x)

    # Add CTC layer for calculating CTC loss at each step
    output = CTCLayer(name="ctc_loss")(labels, x)

    # Define the model
    model = keras.models.Model(
        inputs=[input_img, labels], outputs=output, name="ocr_model_v1"
    )
    # Optimizer
    opt = keras.optimizers.Adam()
    # Compile the model and return
    model.compile(optimizer=opt)
    return model


# Get the model
model = build_model()
model.summary()

"""
## Training
"""

epochs = 3
early_stopping_patience = 10
# Add early stopping
early_stopping = keras.callbacks.EarlyStopping(
    monitor="val_loss", patience=early_stopping_patience, restore_best_weights=True
)

# Train the model
history = model.fit(
    train_dataset,
    validation_data=validation_dataset,
    epochs=epochs,
    callbacks=[early_stopping],
    verbose=2,
)

"""
## Inference
"""

# Get the prediction model by extracting layers till the output layer
prediction_model = keras.models.Model(
    model.get_layer(name="image").output, model.get_layer(name="dense2").output
)
prediction_model.summary()


# A utility function to decode the output of the network
def decode_batch_predictions(pred):
    input_len = np.ones(pred.shape[0]) * pred.shape[1]
    # Use greedy search. For complex tasks, you can use beam search
    decoded, _ = ops.ctc_decode(
        pred, sequence_lengths=input_len, strategy="greedy", mask_index=pred.shape[-1] - 1
    )
    results = ops.convert_to_numpy(decoded[0])[:, :max_length]
    # Iterate over the results and get back the text
    output_text = []
    for res in results:
        res = tf.strings.reduce_join(num_to_char(tf.constant(res))).numpy().decode("utf-8")
        output_text.append(res)
    return output_text


#  Let's check results on some validation samples
for batch in validation_dataset.take(1):
    batch_images = batch["image"]
    batch_labels = batch["label"]

    preds = prediction_model.predict(batch_images)
    pred_texts = decode_batch_predictions(preds)

    orig_texts = []
    for label in batch_labels:
        label = tf.strings.reduce_join(num_to_char(label)).numpy().decode("utf-8")
        orig_texts.append(label)

    for i in range(len(pred_texts)):
        print(f"Prediction: {pred_texts[i]} / label: {orig_texts[i]}")
