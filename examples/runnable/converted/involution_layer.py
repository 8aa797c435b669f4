"""Involution (keras.io example), converted by hand to multi-backend Keras 3: keras.ops in call()
(ops.image.extract_patches, ops.multiply, ops.sum), keras.layers.Identity instead of tf.identity,
keras.random / keras.utils.set_random_seed, ops.relu on the functional tensors, NumPy data to fit()."""
import numpy as np
import keras
from keras import ops

# Set seed for reproducibility.
keras.utils.set_random_seed(42)


class Involution(keras.layers.Layer):
    def __init__(self, channel, group_number, kernel_size, stride, reduction_ratio, name):
        super().__init__(name=name)
        # Initialize the parameters.
        self.channel = channel
        self.group_number = group_number
        self.kernel_size = kernel_size
        self.stride = stride
        self.reduction_ratio = reduction_ratio

    def build(self, input_shape):
        # Get the shape of the input.
        (_, height, width, num_channels) = input_shape

        # Scale the height and width with respect to the strides.
        height = height // self.stride
        width = width // self.stride

        # Define a layer that average pools the input tensor
        # if stride is more than 1.
        self.stride_layer = (
            keras.layers.AveragePooling2D(pool_size=self.stride, strides=self.stride, padding="same")
            if self.stride > 1
            else keras.layers.Identity()
        )
        # Define the kernel generation layer.
        self.kernel_gen = keras.Sequential(
            [
                keras.layers.Conv2D(filters=self.channel // self.reduction_ratio, kernel_size=1),
                keras.layers.BatchNormalization(),
                keras.layers.ReLU(),
                keras.layers.Conv2D(filters=self.kernel_size * self.kernel_size * self.group_number, kernel_size=1),
            ]
        )
        # Define reshape layers
        self.kernel_reshape = keras.layers.Reshape(
            target_shape=(height, width, self.kernel_size * self.kernel_size, 1, self.group_number)
        )
        self.input_patches_reshape = keras.layers.Reshape(
            target_shape=(
                height,
                width,
                self.kernel_size * self.kernel_size,
                num_channels // self.group_number,
                self.group_number,
            )
        )
        self.output_reshape = keras.layers.Reshape(target_shape=(height, width, num_channels))

    def call(self, x):
        # Generate the kernel with respect to the input tensor.
        # B, H, W, K*K*G
        kernel_input = self.stride_layer(x)
        kernel = self.kernel_gen(kernel_input)

        # reshape the kerenl
        # B, H, W, K*K, 1, G
        kernel = self.kernel_reshape(kernel)

        # Extract input patches.
        # B, H, W, K*K*C
        input_patches = ops.image.extract_patches(x, size=self.kernel_size, strides=self.stride, padding="same")

        # Reshape the input patches to align with later operations.
        # B, H, W, K*K, C//G, G
        input_patches = self.input_patches_reshape(input_patches)

        # Compute the multiply-add operation of kernels and patches.
        # B, H, W, K*K, C//G, G
        output = ops.multiply(kernel, input_patches)
        # B, H, W, C//G, G
        output = ops.sum(output, axis=3)

        # Reshape the output kernel.
        # B, H, W, C
        output = self.output_reshape(output)

        # Return the output tensor and the kernel.
        return output, kernel


# Define the input tensor.
input_tensor = keras.random.normal((2, 8, 8, 3))

# Compute involution with stride 1.
output_tensor, _ = Involution(channel=3, group_number=1, kernel_size=5, stride=1, reduction_ratio=1, name="inv_1")(input_tensor)
print(f"with stride 1 ouput shape: {output_tensor.shape}")

# Compute involution with stride 2.
output_tensor, _ = Involution(channel=3, group_number=1, kernel_size=5, stride=2, reduction_ratio=1, name="inv_2")(input_tensor)
print(f"with stride 2 ouput shape: {output_tensor.shape}")

rng = np.random.default_rng(7)
train_images = rng.uniform(size=(64, 16, 16, 3)).astype("float32")
train_labels = (train_images[..., 1].mean(axis=(1, 2)) * 20).astype("int64") % 4

inputs = keras.Input(shape=(16, 16, 3))
x, _ = Involution(channel=3, group_number=1, kernel_size=3, stride=1, reduction_ratio=2, name="inv_1")(inputs)
x = ops.relu(x)
x = keras.layers.MaxPooling2D((2, 2))(x)
x, _ = Involution(channel=3, group_number=1, kernel_size=3, stride=1, reduction_ratio=2, name="inv_2")(x)
x = keras.layers.ReLU()(x)
x = keras.layers.Flatten()(x)
x = keras.layers.Dense(16, activation="relu")(x)
outputs = keras.layers.Dense(4)(x)
inv_model = keras.Model(inputs=[inputs], outputs=[outputs], name="inv_model")

inv_model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
inv_hist = inv_model.fit(
    train_images, train_labels, batch_size=16, shuffle=True, epochs=2, validation_data=(train_images, train_labels), verbose=0
)
print("involution history:", {k: round(float(v[-1]), 4) for k, v in inv_hist.history.items()})

# Visualise the kernel of the first involution layer for one image.
layer = inv_model.get_layer(name="inv_1")
_, kernel = layer(train_images[:1])
kernel = ops.sum(kernel, axis=[-1, -2, -3])
print("kernel map:", kernel.shape, float(ops.max(kernel)))
