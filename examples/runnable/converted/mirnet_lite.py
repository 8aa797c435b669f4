"""MIRNet-style low-light image enhancement (after the keras.io "Low-light image enhancement using
MIRNet" example).

Hand conversion to multi-backend Keras 3: the tf.data pipeline stays (it feeds every backend). The
TF ops applied to Keras tensors in the functional model become keras.ops (reshape, stack, softmax,
sum, max, mean, expand_dims, sigmoid), which work on symbolic Keras tensors. The Charbonnier loss uses
ops.sqrt / ops.square / ops.mean. tf.image.psnr (a PSNR per image) becomes the same formula in
keras.ops (ops.psnr would pool the whole batch into one MSE)."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

keras.utils.set_random_seed(10)

IMAGE_SIZE = 16
BATCH_SIZE = 4

# Synthetic stand-in for the LoL dataset: dark low-light images and their bright references.
rng = np.random.default_rng(10)
high = rng.uniform(0.2, 1.0, size=(16, 24, 24, 3)).astype("float32")
low = (high * rng.uniform(0.05, 0.2, size=(16, 1, 1, 1))).astype("float32")


def random_crop(low_image, enhanced_image):
    low_image_shape = tf.shape(low_image)[:2]
    low_w = tf.random.uniform(shape=(), maxval=low_image_shape[1] - IMAGE_SIZE + 1, dtype=tf.int32)
    low_h = tf.random.uniform(shape=(), maxval=low_image_shape[0] - IMAGE_SIZE + 1, dtype=tf.int32)
    enhanced_w = low_w
    enhanced_h = low_h
    low_image_cropped = low_image[low_h : low_h + IMAGE_SIZE, low_w : low_w + IMAGE_SIZE]
    enhanced_image_cropped = enhanced_image[
        enhanced_h : enhanced_h + IMAGE_SIZE, enhanced_w : enhanced_w + IMAGE_SIZE
    ]
    return low_image_cropped, enhanced_image_cropped


def get_dataset(low_images, enhanced_images):
    dataset = tf.data.Dataset.from_tensor_slices((low_images, enhanced_images))
    dataset = dataset.map(random_crop, num_parallel_calls=tf.data.AUTOTUNE)
    dataset = dataset.batch(BATCH_SIZE, drop_remainder=True)
    return dataset


train_dataset = get_dataset(low[:12], high[:12])
val_dataset = get_dataset(low[12:], high[12:])
print("Train Dataset:", train_dataset)


def selective_kernel_feature_fusion(multi_scale_feature_1, multi_scale_feature_2, multi_scale_feature_3):
    channels = list(multi_scale_feature_1.shape)[-1]
    combined_feature = layers.Add()([multi_scale_feature_1, multi_scale_feature_2, multi_scale_feature_3])
    gap = layers.GlobalAveragePooling2D()(combined_feature)
    channel_wise_statistics = ops.reshape(gap, (-1, 1, 1, channels))
    compact_feature_representation = layers.Conv2D(
        filters=channels // 4, kernel_size=(1, 1), activation="relu"
    )(channel_wise_statistics)
    feature_descriptor_1 = layers.Conv2D(channels, kernel_size=(1, 1))(compact_feature_representation)
    feature_descriptor_2 = layers.Conv2D(channels, kernel_size=(1, 1))(compact_feature_representation)
    feature_descriptor_3 = layers.Conv2D(channels, kernel_size=(1, 1))(compact_feature_representation)
    # Softmax across the three branches.
    attention_vectors = ops.softmax(
        ops.stack([feature_descriptor_1, feature_descriptor_2, feature_descriptor_3], axis=1), axis=1
    )
    features = ops.stack([multi_scale_feature_1, multi_scale_feature_2, multi_scale_feature_3], axis=1)
    aggregated_feature = ops.sum(features * attention_vectors, axis=1)
    return aggregated_feature


def spatial_attention_block(input_tensor):
    average_pooling = ops.max(input_tensor, axis=-1)
    average_pooling = ops.expand_dims(average_pooling, axis=-1)
    max_pooling = ops.mean(input_tensor, axis=-1)
    max_pooling = ops.expand_dims(max_pooling, axis=-1)
    concatenated = layers.Concatenate(axis=-1)([average_pooling, max_pooling])
    feature_map = layers.Conv2D(1, kernel_size=(1, 1))(concatenated)
    feature_map = ops.sigmoid(feature_map)
    return input_tensor * feature_map


def channel_attention_block(input_tensor):
    channels = list(input_tensor.shape)[-1]
    average_pooling = layers.GlobalAveragePooling2D()(input_tensor)
    feature_descriptor = ops.reshape(average_pooling, (-1, 1, 1, channels))
    feature_activations = layers.Conv2D(
        filters=channels // 4, kernel_size=(1, 1), activation="relu"
    )(feature_descriptor)
    feature_activations = layers.Conv2D(
        filters=channels, kernel_size=(1, 1), activation="sigmoid"
    )(feature_activations)
    return input_tensor * feature_activations


def dual_attention_unit_block(input_tensor):
    channels = list(input_tensor.shape)[-1]
    feature_map = layers.Conv2D(channels, kernel_size=(3, 3), padding="same", activation="relu")(
        input_tensor
    )
    feature_map = layers.Conv2D(channels, kernel_size=(3, 3), padding="same")(feature_map)
    channel_attention = channel_attention_block(feature_map)
    spatial_attention = spatial_attention_block(feature_map)
    concatenation = layers.Concatenate(axis=-1)([channel_attention, spatial_attention])
    concatenation = layers.Conv2D(channels, kernel_size=(1, 1))(concatenation)
    return layers.Add()([input_tensor, concatenation])


def down_sampling_module(input_tensor):
    channels = list(input_tensor.shape)[-1]
    main_branch = layers.Conv2D(channels, kernel_size=(1, 1), activation="relu")(input_tensor)
    main_branch = layers.MaxPooling2D()(main_branch)
    skip_branch = layers.MaxPooling2D()(input_tensor)
    skip_branch = layers.Conv2D(channels, kernel_size=(1, 1))(skip_branch)
    return layers.Add()([skip_branch, main_branch])


def up_sampling_module(input_tensor):
    channels = list(input_tensor.shape)[-1]
    main_branch = layers.Conv2D(channels, kernel_size=(1, 1), activation="relu")(input_tensor)
    main_branch = layers.UpSampling2D()(main_branch)
    skip_branch = layers.UpSampling2D()(input_tensor)
    skip_branch = layers.Conv2D(channels, kernel_size=(1, 1))(skip_branch)
    return layers.Add()([skip_branch, main_branch])


# MRB Block
def multi_scale_residual_block(input_tensor, channels):
    # features
    level1 = input_tensor
    level2 = down_sampling_module(input_tensor)
    level3 = down_sampling_module(level2)
    # DAU
    level1_dau = dual_attention_unit_block(level1)
    level2_dau = dual_attention_unit_block(level2)
    level3_dau = dual_attention_unit_block(level3)
    # SKFF
    level1_skff = selective_kernel_feature_fusion(
        level1_dau,
        up_sampling_module(level2_dau),
        up_sampling_module(up_sampling_module(level3_dau)),
    )
    # DAU 2
    level1_dau_2 = dual_attention_unit_block(level1_skff)
    # SKFF 2
    skff_ = layers.Conv2D(channels, kernel_size=(1, 1))(level1_dau_2)
    return layers.Add()([input_tensor, skff_])


def recursive_residual_group(input_tensor, num_mrb, channels):
    conv1 = layers.Conv2D(channels, kernel_size=(3, 3), padding="same")(input_tensor)
    for _ in range(num_mrb):
        conv1 = multi_scale_residual_block(conv1, channels)
    conv2 = layers.Conv2D(channels, kernel_size=(3, 3), padding="same")(conv1)
    return layers.Add()([conv2, input_tensor])


def mirnet_model(num_rrg, num_mrb, channels):
    input_tensor = keras.Input(shape=[None, None, 3])
    x1 = layers.Conv2D(channels, kernel_size=(3, 3), padding="same")(input_tensor)
    for _ in range(num_rrg):
        x1 = recursive_residual_group(x1, num_mrb, channels)
    conv = layers.Conv2D(3, kernel_size=(3, 3), padding="same")(x1)
    output_tensor = layers.Add()([input_tensor, conv])
    return keras.Model(input_tensor, output_tensor)


model = mirnet_model(num_rrg=1, num_mrb=1, channels=8)


def charbonnier_loss(y_true, y_pred):
    return ops.mean(ops.sqrt(ops.square(y_true - y_pred) + ops.square(1e-3)))


def peak_signal_noise_ratio(y_true, y_pred):
    # One PSNR per image, as tf.image.psnr computes it.
    mse = ops.mean(ops.square(y_pred - y_true), axis=(1, 2, 3))
    return 20.0 * ops.log10(255.0) - 10.0 * ops.log10(mse)


optimizer = keras.optimizers.Adam(learning_rate=1e-4)
model.compile(optimizer=optimizer, loss=charbonnier_loss, metrics=[peak_signal_noise_ratio])

history = model.fit(
    train_dataset,
    validation_data=val_dataset,
    epochs=1,
    verbose=2,
    callbacks=[
        keras.callbacks.ReduceLROnPlateau(
            monitor="val_peak_signal_noise_ratio",
            factor=0.5,
            patience=5,
            verbose=1,
            min_delta=1e-7,
            mode="max",
        )
    ],
)
print("val PSNR:", history.history["val_peak_signal_noise_ratio"][-1])


def infer(original_image):
    image = keras.preprocessing.image.img_to_array(original_image)
    image = image.astype("float32") / 255.0
    image = np.expand_dims(image, axis=0)
    output = model.predict(image, verbose=0)
    output_image = output[0] * 255.0
    output_image = output_image.clip(0, 255)
    output_image = output_image.reshape((np.shape(output_image)[0], np.shape(output_image)[1], 3))
    return np.uint8(output_image)


original_image = np.uint8(low[0] * 255.0)  # PIL.Image.open(...) in the original
enhanced_image = infer(original_image)
print("enhanced:", enhanced_image.shape, enhanced_image.mean())
