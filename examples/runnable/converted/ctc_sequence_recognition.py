"""Sequence recognition with a CTC loss (in the style of the keras.io captcha OCR example): string
labels mapped to integers by StringLookup inside tf.data, a loss layer that keeps a reference to
keras.backend.ctc_batch_cost and adds the loss in call(), a two-input training model, a prediction
model cut out of it by layer name, and greedy decoding with keras.backend.ctc_decode.

Keras 3 conversion: keras.ops.ctc_loss / keras.ops.ctc_decode replace the removed keras.backend
functions (Keras 2 put the CTC blank at the last class: mask_index says so; ctc_loss takes logits,
so the softmax output goes in as its log); the loss layer uses keras.ops; the prediction model
starts from the Input layer's output (an InputLayer's .input is empty in Keras 3); the decoded
ids are turned back into text with the inverted StringLookup on NumPy values."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

characters = sorted(set("abcde"))
img_width, img_height = 32, 16
max_length = 3
downsample_factor = 4
batch_size = 16

rng = np.random.default_rng(11)
labels = ["".join(rng.choice(characters, size=max_length)) for _ in range(64)]
images = rng.uniform(0, 1, size=(64, img_height, img_width, 1)).astype("float32")
for i, text in enumerate(labels):
    for j, ch in enumerate(text):
        # Each character leaves a brighter vertical band whose height depends on the letter.
        col = 4 + j * 9
        images[i, : 3 + 3 * characters.index(ch), col : col + 4, 0] += 1.0

char_to_num = layers.StringLookup(vocabulary=list(characters), mask_token=None)
num_to_char = layers.StringLookup(vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True)


def encode_single_sample(img, label):
    img = tf.transpose(img, perm=[1, 0, 2])
    label = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
    return {"image": img, "label": label}


train_dataset = tf.data.Dataset.from_tensor_slices((images, labels))
train_dataset = (
    train_dataset.map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
    .batch(batch_size)
    .prefetch(buffer_size=tf.data.AUTOTUNE)
)


class CTCLayer(layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = ops.ctc_loss

    def call(self, y_true, y_pred):
        batch_len = ops.shape(y_true)[0]
        input_length = ops.shape(y_pred)[1]
        label_length = ops.shape(y_true)[1]
        input_length = input_length * ops.ones(shape=(batch_len,), dtype="int32")
        label_length = label_length * ops.ones(shape=(batch_len,), dtype="int32")
        blank = ops.shape(y_pred)[-1] - 1
        loss = self.loss_fn(ops.cast(y_true, "int32"), ops.log(y_pred + 1e-7), label_length, input_length, mask_index=blank)
        self.add_loss(ops.mean(loss))
        return y_pred


def build_model():
    input_img = layers.Input(shape=(img_width, img_height, 1), name="image", dtype="float32")
    labels_in = layers.Input(name="label", shape=(None,), dtype="float32")
    x = layers.Conv2D(8, (3, 3), activation="relu", kernel_initializer="he_normal", padding="same", name="Conv1")(input_img)
    x = layers.MaxPooling2D((2, 2), name="pool1")(x)
    x = layers.Conv2D(16, (3, 3), activation="relu", kernel_initializer="he_normal", padding="same", name="Conv2")(x)
    x = layers.MaxPooling2D((2, 2), name="pool2")(x)
    new_shape = ((img_width // downsample_factor), (img_height // downsample_factor) * 16)
    x = layers.Reshape(target_shape=new_shape, name="reshape")(x)
    x = layers.Dense(16, activation="relu", name="dense1")(x)
    x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
    x = layers.Dense(len(char_to_num.get_vocabulary()) + 1, activation="softmax", name="dense2")(x)
    output = CTCLayer(name="ctc_loss")(labels_in, x)
    model = keras.models.Model(inputs=[input_img, labels_in], outputs=output, name="ocr_model_v1")
    model.compile(optimizer=keras.optimizers.Adam())
    return model


model = build_model()
model.fit(train_dataset, epochs=2, verbose=0)

prediction_model = keras.models.Model(model.get_layer(name="image").output, model.get_layer(name="dense2").output)


def decode_batch_predictions(pred):
    input_len = np.ones(pred.shape[0]) * pred.shape[1]
    decoded, _ = ops.ctc_decode(pred, sequence_lengths=input_len, strategy="greedy", mask_index=pred.shape[-1] - 1)
    results = ops.convert_to_numpy(decoded[0])[:, :max_length]
    output_text = []
    for res in results:
        res = tf.strings.reduce_join(num_to_char(tf.constant(res))).numpy().decode("utf-8")
        output_text.append(res)
    return output_text


for batch in train_dataset.take(1):
    preds = prediction_model.predict(batch["image"], verbose=0)
    texts = decode_batch_predictions(preds)
    print("decoded:", texts[:4])
    assert len(texts) == batch_size
