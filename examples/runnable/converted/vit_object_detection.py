"""Hand conversion to multi-backend Keras 3 (as the Keras team ported the keras.io example):
`import keras` / `from keras import layers, ops`; Patches with keras.ops.image.extract_patches
and keras.ops.reshape; patches displayed from a numpy batch with keras.ops.convert_to_numpy;
PatchEncoder with keras.ops.arange; activation=keras.activations.gelu; keras.optimizers.AdamW;
the weights-only checkpoint to a `.weights.h5` path; the model saved to a `.keras` file (no
save_format). tf.image.resize stays in the numpy data preparation.

Object detection with a Vision Transformer on tiny synthetic images (in the style of the
tf.keras-era keras.io "Object detection with Vision Transformers" example): images resized with
tf.image.resize and boxes scaled to relative coordinates, a Patches layer with
tf.image.extract_patches and tf.reshape on tf.shape (with a get_config reading globals), patches
displayed from Patches(patch_size)(tf.convert_to_tensor([x])) with .numpy(), a PatchEncoder with
tf.range positions, mlp() with Dense(activation=tf.nn.gelu), a functional ViT ending in a
4-unit box-regression head, tf.keras.optimizers.experimental.AdamW, a weights-only
ModelCheckpoint to a "logs/" directory path reloaded with load_weights, EarlyStopping,
model.save("....h5", save_format="h5"), and numpy IoU evaluation of predictions."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

"""
## Prepare the dataset (synthetic images with one bright box each)
"""
image_size = 32  # resize input images to this size
patch_size = 8  # Size of the patches to be extracted from the input images
input_shape = (image_size, image_size, 3)  # input image shape
num_patches = (image_size // patch_size) ** 2

rng = np.random.default_rng(7)
images, targets = [], []
for i in range(40):
    h, w = int(rng.integers(40, 60)), int(rng.integers(40, 60))
    image = rng.integers(0, 60, size=(h, w, 3)).astype("float32")
    top_left_x, top_left_y = int(rng.integers(0, w // 2)), int(rng.integers(0, h // 2))
    bottom_right_x = top_left_x + int(rng.integers(8, w // 2))
    bottom_right_y = top_left_y + int(rng.integers(8, h // 2))
    image[top_left_y:bottom_right_y, top_left_x:bottom_right_x] = 255.0
    images.append(tf.image.resize(image, (image_size, image_size)).numpy())
    # apply relative scaling to bounding boxes as per given image and append to list
    targets.append(
        (
            float(top_left_x) / w,
            float(top_left_y) / h,
            float(bottom_right_x) / w,
            float(bottom_right_y) / h,
        )
    )

# Convert the list to numpy array, split to train and test dataset
(x_train), (y_train) = (
    np.asarray(images[: int(len(images) * 0.8)]),
    np.asarray(targets[: int(len(targets) * 0.8)]),
)
(x_test), (y_test) = (
    np.asarray(images[int(len(images) * 0.8) :]),
    np.asarray(targets[int(len(targets) * 0.8) :]),
)

"""
## Implement multilayer-perceptron (MLP)
"""


def mlp(x, hidden_units, dropout_rate):
    for units in hidden_units:
        x = layers.Dense(units, activation=keras.activations.gelu)(x)
        x = layers.Dropout(dropout_rate)(x)
    return x


"""
## Implement the patch creation layer
"""


class Patches(layers.Layer):
    def __init__(self, patch_size):
        super().__init__()
        self.patch_size = patch_size

    #     Override function to avoid error while saving model
    def get_config(self):
        config = super().get_config().copy()
        config.update(
            {
                "input_shape": input_shape,
                "patch_size": patch_size,
                "num_patches": num_patches,
                "projection_dim": projection_dim,
                "num_heads": num_heads,
                "transformer_units": transformer_units,
                "transformer_layers": transformer_layers,
                "mlp_head_units": mlp_head_units,
            }
        )
        return config

    def call(self, images):
        input_shape = ops.shape(images)
        batch_size = input_shape[0]
        patches = ops.image.extract_patches(images, size=self.patch_size)
        # return patches
        return ops.reshape(patches, (batch_size, -1, patches.shape[-1]))


"""
## Display patches for an input image
"""
patches = Patches(patch_size)(np.array([x_train[0]]))
print(f"Image size: {image_size} X {image_size}")
print(f"Patch size: {patch_size} X {patch_size}")
print(f"{patches.shape[1]} patches per image \n{patches.shape[-1]} elements per patch")

n = int(np.sqrt(patches.shape[1]))
for i, patch in enumerate(patches[0]):
    patch_img = ops.reshape(patch, (patch_size, patch_size, 3))
    patch_img = ops.convert_to_numpy(patch_img).astype("uint8")
print("last patch", patch_img.shape, patch_img.dtype)

"""
## Implement the patch encoding layer
"""


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, projection_dim):
        super().__init__()
        self.num_patches = num_patches
        self.projection = layers.Dense(units=projection_dim)
        self.position_embedding = layers.Embedding(
            input_dim=num_patches, output_dim=projection_dim
        )

    # Override function to avoid error while saving model
    def get_config(self):
        config = super().get_config().copy()
        config.update(
            {
                "input_shape": input_shape,
                "patch_size": patch_size,
                "num_patches": num_patches,
                "projection_dim": projection_dim,
                "num_heads": num_heads,
                "transformer_units": transformer_units,
                "transformer_layers": transformer_layers,
                "mlp_head_units": mlp_head_units,
            }
        )
        return config

    def call(self, patch):
        positions = ops.arange(start=0, stop=self.num_patches, step=1)
        encoded = self.projection(patch) + self.position_embedding(positions)
        return encoded


"""
## Build the ViT model
"""


def create_vit_object_detector(
    input_shape,
    patch_size,
    num_patches,
    projection_dim,
    num_heads,
    transformer_units,
    transformer_layers,
    mlp_head_units,
):
    inputs = layers.Input(shape=input_shape)
    # Create patches
    patches = Patches(patch_size)(inputs)
    # Encode patches
    encoded_patches = PatchEncoder(num_patches, projection_dim)(patches)

    # Create multiple layers of the Transformer block.
    for _ in range(transformer_layers):
        # Layer normalization 1.
        x1 = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
        # Create a multi-head attention layer.
        attention_output = layers.MultiHeadAttention(
            num_heads=num_heads, key_dim=projection_dim, dropout=0.1
        )(x1, x1)
        # Skip connection 1.
        x2 = layers.Add()([attention_output, encoded_patches])
        # Layer normalization 2.
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        # MLP
        x3 = mlp(x3, hidden_units=transformer_units, dropout_rate=0.1)
        # Skip connection 2.
        encoded_patches = layers.Add()([x3, x2])

    # Create a [batch_size, projection_dim] tensor.
    representation = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
    representation = layers.Flatten()(representation)
    representation = layers.Dropout(0.3)(representation)
    # Add MLP.
    features = mlp(representation, hidden_units=mlp_head_units, dropout_rate=0.3)

    bounding_box = layers.Dense(4)(
        features
    )  # Final four neurons that output bounding box

    # return Keras model.
    return keras.Model(inputs=inputs, outputs=bounding_box)


"""
## Run the experiment
"""


def run_experiment(model, learning_rate, weight_decay, batch_size, num_epochs):

    optimizer = keras.optimizers.AdamW(
        learning_rate=learning_rate, weight_decay=weight_decay
    )

    # Compile model.
    model.compile(optimizer=optimizer, loss=keras.losses.MeanSquaredError())

    checkpoint_filepath = "logs/vit_object_detector.weights.h5"
    checkpoint_callback = keras.callbacks.ModelCheckpoint(
        checkpoint_filepath,
        monitor="val_loss",
        save_best_only=True,
        save_weights_only=True,
    )

    history = model.fit(
        x=x_train,
        y=y_train,
        batch_size=batch_size,
        epochs=num_epochs,
        validation_split=0.1,
        callbacks=[
            checkpoint_callback,
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=10),
        ],
    )
    model.load_weights(checkpoint_filepath)

    return history


learning_rate = 0.001
weight_decay = 0.0001
batch_size = 8
num_epochs = 1
projection_dim = 16
num_heads = 2
# Size of the transformer layers
transformer_units = [
    projection_dim * 2,
    projection_dim,
]
transformer_layers = 2
mlp_head_units = [32, 16]  # Size of the dense layers


vit_object_detector = create_vit_object_detector(
    input_shape,
    patch_size,
    num_patches,
    projection_dim,
    num_heads,
    transformer_units,
    transformer_layers,
    mlp_head_units,
)

# Train model
history = run_experiment(
    vit_object_detector, learning_rate, weight_decay, batch_size, num_epochs
)

"""
## Evaluate the model
"""

# Saves the model in current path
vit_object_detector.save("vit_object_detector.keras")


# To calculate IoU (intersection over union, given two bounding boxes)
def bounding_box_intersection_over_union(box_predicted, box_truth):
    # get (x, y) coordinates of intersection of bounding boxes
    top_x_intersect = max(box_predicted[0], box_truth[0])
    top_y_intersect = max(box_predicted[1], box_truth[1])
    bottom_x_intersect = min(box_predicted[2], box_truth[2])
    bottom_y_intersect = min(box_predicted[3], box_truth[3])

    # calculate area of the intersection bb (bounding box)
    intersection_area = max(0, bottom_x_intersect - top_x_intersect + 1) * max(
        0, bottom_y_intersect - top_y_intersect + 1
    )

    # calculate area of the prediction bb and ground-truth bb
    box_predicted_area = (box_predicted[2] - box_predicted[0] + 1) * (
        box_predicted[3] - box_predicted[1] + 1
    )
    box_truth_area = (box_truth[2] - box_truth[0] + 1) * (
        box_truth[3] - box_truth[1] + 1
    )

    # calculate intersection over union by taking intersection
    # area and dividing it by the sum of predicted bb and ground truth
    # bb areas subtracted by  the interesection area

    # return ioU
    return intersection_area / float(
        box_predicted_area + box_truth_area - intersection_area
    )


mean_iou = 0.0
for i, input_image in enumerate(x_test[:4]):
    input_image = np.expand_dims(input_image, axis=0)
    preds = vit_object_detector.predict(input_image)[0]
    mean_iou += bounding_box_intersection_over_union(preds, y_test[i])
print("mean_iou: " + str(mean_iou / 4))
