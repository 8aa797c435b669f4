"""Hand conversion to multi-backend Keras 3 (as the Keras team converted the keras.io example):
`import keras` / `from keras import layers`, the augmentation as a keras.layers.Pipeline (a Sequential
cannot run inside tf.data's map on JAX or PyTorch), keras.optimizers.AdamW, a `.weights.h5` checkpoint path;
tf.data stays for the input pipeline.

ConvMixer on tiny synthetic CIFAR-like images (in the style of the tf.keras-era keras.io
"Image classification with ConvMixer" example): tf.data pipelines with an augmentation Sequential
(RandomCrop, RandomFlip) applied in dataset.map, the model built from helper functions
(activation_block with Activation("gelu") + BatchNormalization, conv_stem with a patchifying
strided Conv2D, conv_mixer_block with DepthwiseConv2D and a residual Add), Rescaling inside the
model, tf.keras.optimizers.experimental.AdamW, a best-weights ModelCheckpoint to an extensionless
path reloaded with load_weights, and the patch-embedding filters read back with
model.layers[2].get_weights()."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

"""
## Hyperparameters
"""
learning_rate = 0.001
weight_decay = 0.0001
batch_size = 8
num_epochs = 2

"""
## Load the data (synthetic CIFAR-10-like images)
"""
rng = np.random.default_rng(3)
x_train = rng.integers(0, 255, size=(48, 16, 16, 3)).astype("uint8")
y_train = rng.integers(0, 10, size=(48, 1))
x_test = rng.integers(0, 255, size=(16, 16, 16, 3)).astype("uint8")
y_test = rng.integers(0, 10, size=(16, 1))
val_split = 0.1

val_indices = int(len(x_train) * val_split)
new_x_train, new_y_train = x_train[val_indices:], y_train[val_indices:]
x_val, y_val = x_train[:val_indices], y_train[:val_indices]

print(f"Training data samples: {len(new_x_train)}")
print(f"Validation data samples: {len(x_val)}")
print(f"Test data samples: {len(x_test)}")

"""
## Prepare `tf.data.Dataset` objects
"""
image_size = 16
auto = tf.data.AUTOTUNE

data_augmentation = keras.layers.Pipeline(
    [layers.RandomCrop(image_size, image_size), layers.RandomFlip("horizontal"),],
    name="data_augmentation",
)


def make_datasets(images, labels, is_train=False):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    if is_train:
        dataset = dataset.shuffle(batch_size * 10)
    dataset = dataset.batch(batch_size)
    if is_train:
        dataset = dataset.map(
            lambda x, y: (data_augmentation(x), y), num_parallel_calls=auto
        )
    return dataset.prefetch(auto)


train_dataset = make_datasets(new_x_train, new_y_train, is_train=True)
val_dataset = make_datasets(x_val, y_val)
test_dataset = make_datasets(x_test, y_test)

"""
## ConvMixer utilities
"""


def activation_block(x):
    x = layers.Activation("gelu")(x)
    return layers.BatchNormalization()(x)


def conv_stem(x, filters: int, patch_size: int):
    x = layers.Conv2D(filters, kernel_size=patch_size, strides=patch_size)(x)
    return activation_block(x)


def conv_mixer_block(x, filters: int, kernel_size: int):
    # Depthwise convolution.
    x0 = x
    x = layers.DepthwiseConv2D(kernel_size=kernel_size, padding="same")(x)
    x = layers.Add()([activation_block(x), x0])  # Residual.

    # Pointwise convolution.
    x = layers.Conv2D(filters, kernel_size=1)(x)
    x = activation_block(x)

    return x


def get_conv_mixer_256_8(
    image_size=16, filters=32, depth=2, kernel_size=3, patch_size=2, num_classes=10
):
    """ConvMixer-256/8: https://openreview.net/pdf?id=TVHS5Y4dNvM.
    The hyperparameter values are taken from the paper.
    """
    inputs = keras.Input((image_size, image_size, 3))
    x = layers.Rescaling(scale=1.0 / 255)(inputs)

    # Extract patch embeddings.
    x = conv_stem(x, filters, patch_size)

    # ConvMixer blocks.
    for _ in range(depth):
        x = conv_mixer_block(x, filters, kernel_size)

    # Classification block.
    x = layers.GlobalAvgPool2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)

    return keras.Model(inputs, outputs)


"""
## Model training and evaluation utility
"""


def run_experiment(model):
    optimizer = keras.optimizers.AdamW(
        learning_rate=learning_rate, weight_decay=weight_decay
    )

    model.compile(
        optimizer=optimizer,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )

    # keras.io writes to /tmp; a relative path keeps runs on several backends at once apart.
    checkpoint_filepath = "convmixer_checkpoint.weights.h5"
    checkpoint_callback = keras.callbacks.ModelCheckpoint(
        checkpoint_filepath,
        monitor="val_accuracy",
        save_best_only=True,
        save_weights_only=True,
    )

    history = model.fit(
        train_dataset,
        validation_data=val_dataset,
        epochs=num_epochs,
        callbacks=[checkpoint_callback],
        verbose=2,
    )

    model.load_weights(checkpoint_filepath)
    _, accuracy = model.evaluate(test_dataset, verbose=0)
    print(f"Test accuracy: {round(accuracy * 100, 2)}%")

    return history, model


"""
## Train and evaluate model
"""
conv_mixer_model = get_conv_mixer_256_8()
history, conv_mixer_model = run_experiment(conv_mixer_model)

"""
## Visualizing the internals of ConvMixer
"""


def visualization_plot(weights, idx=1):
    # First, apply min-max normalization to the
    # given weights to avoid isotrophic scaling.
    p_min, p_max = weights.min(), weights.max()
    weights = (weights - p_min) / (p_max - p_min)

    # Visualize all the filters.
    num_filters = 32
    tiles = []
    for i in range(num_filters):
        current_weight = weights[:, :, :, i]
        if current_weight.shape[-1] == 1:
            current_weight = current_weight.squeeze()
        tiles.append(current_weight)
        idx += 1
    return np.stack(tiles)


# We first visualize the learned patch embeddings.
patch_embeddings = conv_mixer_model.layers[2].get_weights()[0]
tiles = visualization_plot(patch_embeddings)
assert tiles.shape == (32, 2, 2, 3), tiles.shape

# First, print the indices of the convolution layers that are not
# pointwise.
for i, layer in enumerate(conv_mixer_model.layers):
    if isinstance(layer, layers.DepthwiseConv2D):
        if layer.get_config()["kernel_size"] == (3, 3):
            print(i, layer)

predictions = conv_mixer_model.predict(x_test[:4], verbose=0)
assert predictions.shape == (4, 10)
print("convmixer ok")
