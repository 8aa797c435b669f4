"""keras.io "Video Classification with a CNN-RNN Architecture" (tf.keras version) on synthetic
videos instead of UCF101: frames center-cropped and resized, a keras.applications feature
extractor (weights=None here) with its preprocess_input applied to a keras.Input, labels encoded
by a StringLookup called on a NumPy array of strings and .numpy()'d, per-frame features computed
with feature_extractor.predict in a loop, a GRU sequence model with a boolean frame mask input,
ModelCheckpoint(save_weights_only=True) to a path without an extension, load_weights, and
argsort-ranked predictions for a single video.

Keras 3 conversion: `import keras`; the StringLookup result is turned into NumPy with
keras.ops.convert_to_numpy (a JAX array has no .numpy()); the weights checkpoint path ends in
`.weights.h5`, which Keras 3 requires for save_weights_only=True, and load_weights reads that file;
frames are resized with keras.ops.image.resize instead of tf.image.resize."""
import os
import tempfile

import numpy as np
import keras

IMG_SIZE = 32
BATCH_SIZE = 8
EPOCHS = 3

MAX_SEQ_LENGTH = 4
NUM_FEATURES = 1280

"""
## Data preparation (synthetic videos: a moving bright square, left-to-right or top-to-bottom)
"""

rng = np.random.RandomState(0)
TAGS = ["PlayingCello", "Punch", "ShavingBeard"]


def make_video(tag, num_frames):
    frames = np.zeros((num_frames, 40, 48, 3), dtype=np.uint8)
    for f in range(num_frames):
        pos = 4 + 4 * f
        if tag == "PlayingCello":
            frames[f, 10:20, pos : pos + 10] = 255
        elif tag == "Punch":
            frames[f, pos : pos + 10, 10:20] = 255
        else:
            frames[f, pos : pos + 8, pos : pos + 8, 0] = 200
        frames[f] = np.clip(frames[f] + rng.randint(0, 30, frames[f].shape), 0, 255)
    return frames


def make_df(n):
    tags = [TAGS[i % len(TAGS)] for i in range(n)]
    lengths = [rng.randint(2, 6) for _ in range(n)]
    return {"video_name": [f"v_{t}_{i}.avi" for i, t in enumerate(tags)], "tag": np.array(tags)}, [
        make_video(t, l) for t, l in zip(tags, lengths)
    ]


train_df, train_videos = make_df(9)
test_df, test_videos = make_df(3)
print(f"Total videos for training: {len(train_df['tag'])}")
print(f"Total videos for testing: {len(test_df['tag'])}")


def crop_center_square(frame):
    y, x = frame.shape[0:2]
    min_dim = min(y, x)
    start_x = (x // 2) - (min_dim // 2)
    start_y = (y // 2) - (min_dim // 2)
    return frame[start_y : start_y + min_dim, start_x : start_x + min_dim]


def load_video(video, max_frames=0, resize=(IMG_SIZE, IMG_SIZE)):
    frames = []
    for frame in video:
        frame = crop_center_square(frame)
        frame = keras.ops.convert_to_numpy(keras.ops.image.resize(frame, resize))
        frame = frame[:, :, [2, 1, 0]]
        frames.append(frame)
        if len(frames) == max_frames:
            break
    return np.array(frames)


def build_feature_extractor():
    feature_extractor = keras.applications.MobileNetV2(
        weights=None,
        alpha=0.35,
        include_top=False,
        pooling="avg",
        input_shape=(IMG_SIZE, IMG_SIZE, 3),
    )
    preprocess_input = keras.applications.mobilenet_v2.preprocess_input

    inputs = keras.Input((IMG_SIZE, IMG_SIZE, 3))
    preprocessed = preprocess_input(inputs)

    outputs = feature_extractor(preprocessed)
    return keras.Model(inputs, outputs, name="feature_extractor")


feature_extractor = build_feature_extractor()

label_processor = keras.layers.StringLookup(
    num_oov_indices=0, vocabulary=np.unique(train_df["tag"])
)
print(label_processor.get_vocabulary())


def prepare_all_videos(df, videos):
    num_samples = len(df["video_name"])
    labels = df["tag"]
    labels = keras.ops.convert_to_numpy(label_processor(labels[..., None]))

    # `frame_masks` and `frame_features` are what we will feed to our sequence model.
    # `frame_masks` will contain a bunch of booleans denoting if a timestep is
    # masked with padding or not.
    frame_masks = np.zeros(shape=(num_samples, MAX_SEQ_LENGTH), dtype="bool")
    frame_features = np.zeros(
        shape=(num_samples, MAX_SEQ_LENGTH, NUM_FEATURES), dtype="float32"
    )

    # For each video.
    for idx, video in enumerate(videos):
        # Gather all its frames and add a batch dimension.
        frames = load_video(video)
        frames = frames[None, ...]

        # Initialize placeholders to store the masks and features of the current video.
        temp_frame_mask = np.zeros(shape=(1, MAX_SEQ_LENGTH,), dtype="bool")
        temp_frame_features = np.zeros(
            shape=(1, MAX_SEQ_LENGTH, NUM_FEATURES), dtype="float32"
        )

        # Extract features from the frames of the current video.
        for i, batch in enumerate(frames):
            video_length = batch.shape[0]
            length = min(MAX_SEQ_LENGTH, video_length)
            for j in range(length):
                temp_frame_features[i, j, :] = feature_extractor.predict(
                    batch[None, j, :], verbose=0
                )
            temp_frame_mask[i, :length] = 1  # 1 = not masked, 0 = masked

        frame_features[idx,] = temp_frame_features.squeeze()
        frame_masks[idx,] = temp_frame_mask.squeeze()

    return (frame_features, frame_masks), labels


train_data, train_labels = prepare_all_videos(train_df, train_videos)
test_data, test_labels = prepare_all_videos(test_df, test_videos)

print(f"Frame features in train set: {train_data[0].shape}")
print(f"Frame masks in train set: {train_data[1].shape}")

"""
## The sequence model
"""


# Utility for our sequence model.
def get_sequence_model():
    class_vocab = label_processor.get_vocabulary()

    frame_features_input = keras.Input((MAX_SEQ_LENGTH, NUM_FEATURES))
    mask_input = keras.Input((MAX_SEQ_LENGTH,), dtype="bool")

    # Refer to the following tutorial to understand the significance of using `mask`:
    # https://keras.io/api/layers/recurrent_layers/gru/
    x = keras.layers.GRU(16, return_sequences=True)(
        frame_features_input, mask=mask_input
    )
    x = keras.layers.GRU(8)(x)
    x = keras.layers.Dropout(0.4)(x)
    x = keras.layers.Dense(8, activation="relu")(x)
    output = keras.layers.Dense(len(class_vocab), activation="softmax")(x)

    rnn_model = keras.Model([frame_features_input, mask_input], output)

    rnn_model.compile(
        loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"]
    )
    return rnn_model


# Utility for running experiments.
def run_experiment():
    filepath = os.path.join(tempfile.mkdtemp(), "video_classifier.weights.h5")
    checkpoint = keras.callbacks.ModelCheckpoint(
        filepath, save_weights_only=True, save_best_only=True, verbose=1
    )

    seq_model = get_sequence_model()
    history = seq_model.fit(
        [train_data[0], train_data[1]],
        train_labels,
        validation_split=0.3,
        epochs=EPOCHS,
        callbacks=[checkpoint],
        verbose=2,
    )

    seq_model.load_weights(filepath)
    _, accuracy = seq_model.evaluate([test_data[0], test_data[1]], test_labels)
    print(f"Test accuracy: {round(accuracy * 100, 2)}%")

    return history, seq_model


_, sequence_model = run_experiment()

"""
## Inference
"""


def prepare_single_video(frames):
    frames = frames[None, ...]
    frame_mask = np.zeros(shape=(1, MAX_SEQ_LENGTH,), dtype="bool")
    frame_features = np.zeros(shape=(1, MAX_SEQ_LENGTH, NUM_FEATURES), dtype="float32")

    for i, batch in enumerate(frames):
        video_length = batch.shape[0]
        length = min(MAX_SEQ_LENGTH, video_length)
        for j in range(length):
            frame_features[i, j, :] = feature_extractor.predict(batch[None, j, :], verbose=0)
        frame_mask[i, :length] = 1  # 1 = not masked, 0 = masked

    return frame_features, frame_mask


def sequence_prediction(video):
    class_vocab = label_processor.get_vocabulary()

    frames = load_video(video)
    frame_features, frame_mask = prepare_single_video(frames)
    probabilities = sequence_model.predict([frame_features, frame_mask])[0]

    for i in np.argsort(probabilities)[::-1]:
        print(f"  {class_vocab[i]}: {probabilities[i] * 100:5.2f}%")
    return frames


test_video = test_videos[0]
print(f"Test video path: {test_df['video_name'][0]}")
test_frames = sequence_prediction(test_video)
