"""keras.io "Keypoint Detection with Transfer Learning" (StanfordExtra dogs), tf.keras era: a JSON-like
dict of samples (image data + 24 (x, y, visibility) joints) read by get_dog(); a
KeyPointsDataset(keras.utils.Sequence) with on_epoch_end shuffling and a name-mangled
__data_generation that fills np.empty int image / (batch, 1, 1, 48) keypoint arrays (an augmenter
callable stands in for imgaug: horizontal flip of image and keypoints), keypoints scaled by IMG_SIZE;
a frozen backbone (a tiny stand-in for MobileNetV2(weights="imagenet", include_top=False): no
download) behind keras.applications.mobilenet_v2.preprocess_input, Dropout, two SeparableConv2D
layers (relu, then sigmoid) down to (1, 1, 48), MSE, Adam(1e-4); predictions reshaped to (-1, 24, 2)
and drawn onto the images with NumPy.

Keras 3 conversion: keras.utils.PyDataset with super().__init__(**kwargs) (workers / multiprocessing
arguments go there), `import keras`; the rest is backend-agnostic already."""
import numpy as np
import keras
from keras import layers

IMG_SIZE = 56
BATCH_SIZE = 8
EPOCHS = 2
NUM_KEYPOINTS = 24 * 2  # 24 pairs each having x and y coordinates

# Synthetic stand-in for StanfordExtra_V12.json and the Images/ folder.
rng = np.random.default_rng(0)
json_dict = {}
for n in range(40):
    name = f"n02085620-Chihuahua/dog_{n}.jpg"
    joints = np.concatenate(
        [rng.uniform(0, IMG_SIZE, size=(24, 2)), rng.integers(0, 2, size=(24, 1))], axis=1
    )
    json_dict[name] = {
        "img_path": name,
        "img_data": rng.integers(0, 255, size=(IMG_SIZE, IMG_SIZE, 3)).astype("uint8"),
        "joints": joints.tolist(),
    }


def get_dog(name):
    data = json_dict[name]
    img_data = data["img_data"]
    # If the image is RGBA convert it to RGB.
    if img_data.shape[-1] == 4:
        img_data = img_data.astype(np.uint8)
        img_data = img_data[..., :3]
    data["img_data"] = img_data
    return data


def train_aug(image, keypoints):
    """Stands in for the imgaug Sequential (Fliplr(0.3), Affine, ...) of the example."""
    if np.random.rand() < 0.3:
        image = image[:, ::-1]
        keypoints = [(IMG_SIZE - x, y) for (x, y) in keypoints]
    return image, keypoints


def test_aug(image, keypoints):
    return image, keypoints


class KeyPointsDataset(keras.utils.PyDataset):
    def __init__(self, image_keys, aug, batch_size=BATCH_SIZE, train=True, **kwargs):
        super().__init__(**kwargs)
        self.image_keys = image_keys
        self.aug = aug
        self.batch_size = batch_size
        self.train = train
        self.on_epoch_end()

    def __len__(self):
        return len(self.image_keys) // self.batch_size

    def on_epoch_end(self):
        self.indexes = np.arange(len(self.image_keys))
        if self.train:
            np.random.shuffle(self.indexes)

    def __getitem__(self, index):
        indexes = self.indexes[index * self.batch_size : (index + 1) * self.batch_size]
        image_keys_temp = [self.image_keys[k] for k in indexes]
        (images, keypoints) = self.__data_generation(image_keys_temp)

        return (images, keypoints)

    def __data_generation(self, image_keys_temp):
        batch_images = np.empty((self.batch_size, IMG_SIZE, IMG_SIZE, 3), dtype="int")
        batch_keypoints = np.empty(
            (self.batch_size, 1, 1, NUM_KEYPOINTS), dtype="float32"
        )

        for i, key in enumerate(image_keys_temp):
            data = get_dog(key)
            current_keypoint = np.array(data["joints"])[:, :2]
            kps = []

            # To apply our data augmentation pipeline, we first need to
            # form Keypoint objects with the original coordinates.
            for j in range(0, len(current_keypoint)):
                kps.append((current_keypoint[j][0], current_keypoint[j][1]))

            # We then project the original image and its keypoint coordinates.
            current_image = data["img_data"]
            (new_image, new_kps_obj) = self.aug(image=current_image, keypoints=kps)
            batch_images[i,] = new_image

            # Parse the coordinates from the new keypoint object.
            kp_temp = []
            for keypoint in new_kps_obj:
                kp_temp.append(np.nan_to_num(keypoint[0]))
                kp_temp.append(np.nan_to_num(keypoint[1]))

            # More on why this reshaping later.
            batch_keypoints[i,] = np.array(kp_temp).reshape(1, 1, 24 * 2)

        # Scale the coordinates to [0, 1] range.
        batch_keypoints = batch_keypoints / IMG_SIZE

        return (batch_images, batch_keypoints)


samples = list(json_dict.keys())
np.random.seed(0)
np.random.shuffle(samples)
train_keys, validation_keys = (
    samples[int(len(samples) * 0.2) :],
    samples[: int(len(samples) * 0.2)],
)

train_dataset = KeyPointsDataset(train_keys, train_aug)
validation_dataset = KeyPointsDataset(validation_keys, test_aug, train=False)

print(f"Total batches in training set: {len(train_dataset)}")
print(f"Total batches in validation set: {len(validation_dataset)}")

sample_images, sample_keypoints = next(iter(train_dataset))
assert sample_keypoints.max() <= 1.0
assert sample_keypoints.min() >= 0.0


def get_backbone():
    """Stands in for MobileNetV2(weights="imagenet", include_top=False): the same 1/8 feature map."""
    return keras.Sequential(
        [
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(64, 3, strides=2, padding="same", activation="relu"),
        ],
        name="mobilenetv2_lite",
    )


def get_model():
    # Load the pre-trained weights of MobileNetV2 and freeze the weights
    backbone = get_backbone()
    backbone.build((None, IMG_SIZE, IMG_SIZE, 3))
    backbone.trainable = False

    inputs = layers.Input((IMG_SIZE, IMG_SIZE, 3))
    x = keras.applications.mobilenet_v2.preprocess_input(inputs)
    x = backbone(x)
    x = layers.Dropout(0.3)(x)
    x = layers.SeparableConv2D(
        NUM_KEYPOINTS, kernel_size=5, strides=1, activation="relu"
    )(x)
    outputs = layers.SeparableConv2D(
        NUM_KEYPOINTS, kernel_size=3, strides=1, activation="sigmoid"
    )(x)

    return keras.Model(inputs, outputs, name="keypoint_detector")


model = get_model()
model.summary()
model.compile(loss="mse", optimizer=keras.optimizers.Adam(1e-4))
history = model.fit(train_dataset, validation_data=validation_dataset, epochs=EPOCHS)
print("trainable weights:", len(model.trainable_weights), "frozen:", len(model.non_trainable_weights))


def visualize_keypoints(images, keypoints):
    """Draws each keypoint as a small red square (the example uses matplotlib scatter)."""
    drawn = []
    for image, current_keypoint in zip(images, keypoints):
        canvas = np.array(image, dtype="uint8").copy()
        for x, y in current_keypoint.astype("int").clip(1, IMG_SIZE - 2):
            canvas[y - 1 : y + 2, x - 1 : x + 2] = [255, 0, 0]
        drawn.append(canvas)
    return np.stack(drawn)


sample_val_images, sample_val_keypoints = next(iter(validation_dataset))
sample_val_images = sample_val_images[:4]
sample_val_keypoints = sample_val_keypoints[:4].reshape(-1, 24, 2) * IMG_SIZE
predictions = model.predict(sample_val_images).reshape(-1, 24, 2) * IMG_SIZE

# Ground-truth
ground_truth = visualize_keypoints(sample_val_images, sample_val_keypoints)
# Predictions
drawn = visualize_keypoints(sample_val_images, predictions)
print("drawn:", drawn.shape, "mean abs keypoint error:", float(np.abs(predictions - sample_val_keypoints).mean()))
assert drawn.shape == (4, IMG_SIZE, IMG_SIZE, 3)
