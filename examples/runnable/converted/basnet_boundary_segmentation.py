"""Hand conversion to multi-backend Keras 3. Boundary-aware salient-object segmentation (in the style of the tf.keras-era keras.io BASNet
example), shrunk to tiny synthetic images stored as raw float32 files: a tf.data pipeline from file
paths through tf.numpy_function (bytes paths decoded in Python) with set_shape, a predict
module whose encoder stages are sub-models cut out of a functional backbone by layer name
(get_layer(...).input / .output), decoder stages sized with keras.backend.int_shape and
layers.Resizing, a residual refinement module built on the predict model's first output,
sigmoid side outputs combined in one multi-output model, and a hybrid loss class (binary
cross-entropy + tf.image.ssim + an IoU written with keras.backend sum/abs/mean) given once
for every output, with one MeanAbsoluteError metric."""
import os
import tempfile

import numpy as np
import tensorflow as tf  # tf.data input pipeline only
import keras
from keras import layers, ops

keras.utils.set_random_seed(3)

IMAGE_SIZE = 32
BATCH_SIZE = 4
OUT_CLASSES = 1
TRAIN_SPLIT_RATIO = 0.75
FILTERS = 8

# ---- synthetic image / mask files (a bright disc on noise is the salient object) ----
data_dir = tempfile.mkdtemp()
image_paths, mask_paths = [], []
yy, xx = np.mgrid[0:IMAGE_SIZE, 0:IMAGE_SIZE]
for i in range(16):
    cy, cx = np.random.randint(8, IMAGE_SIZE - 8, size=2)
    radius = np.random.randint(4, 8)
    mask = ((yy - cy) ** 2 + (xx - cx) ** 2 < radius ** 2).astype(np.float32)[..., None]
    image = 0.3 * np.random.rand(IMAGE_SIZE, IMAGE_SIZE, 3).astype(np.float32) + 0.6 * mask
    image_path = os.path.join(data_dir, f"image_{i}.raw")
    mask_path = os.path.join(data_dir, f"mask_{i}.raw")
    image.tofile(image_path)
    mask.tofile(mask_path)
    image_paths.append(image_path)
    mask_paths.append(mask_path)


def load_paths(split_ratio):
    images = sorted(image_paths)
    masks = sorted(mask_paths)
    len_ = int(len(images) * split_ratio)
    return (images[:len_], masks[:len_]), (images[len_:], masks[len_:])


# Raw bytes rather than np.load: np.load parses each header with ast.literal_eval, and on
# Python 3.11.7 two parses in tf.data's parallel map threads can fail (CPython gh-106905).
def read_array(path):
    return np.fromfile(path, dtype=np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE, -1)


def preprocess(x, y, img_size, out_classes):
    def f(_x, _y):
        _x, _y = _x.decode(), _y.decode()
        return read_array(_x), read_array(_y)

    images, masks = tf.numpy_function(f, [x, y], [tf.float32, tf.float32])
    images.set_shape([img_size, img_size, 3])
    masks.set_shape([img_size, img_size, out_classes])
    return images, masks


def load_dataset(image_paths, mask_paths, img_size, out_classes, batch, shuffle=True):
    dataset = tf.data.Dataset.from_tensor_slices((image_paths, mask_paths))
    if shuffle:
        dataset = dataset.cache().shuffle(buffer_size=100)
    dataset = dataset.map(
        lambda x, y: preprocess(x, y, img_size, out_classes),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    dataset = dataset.batch(batch)
    return dataset.prefetch(tf.data.AUTOTUNE)


train_paths, val_paths = load_paths(TRAIN_SPLIT_RATIO)
train_dataset = load_dataset(train_paths[0], train_paths[1], IMAGE_SIZE, OUT_CLASSES, BATCH_SIZE)
val_dataset = load_dataset(val_paths[0], val_paths[1], IMAGE_SIZE, OUT_CLASSES, BATCH_SIZE, shuffle=False)

for image, mask in val_dataset.take(1):
    print("batch:", image.shape, mask.shape)
    print("unique mask values:", np.unique((mask[0] * 255)).astype(int))


# ---- model ----
def basic_block(x_in, filters, stride=1, no_relu=False):
    residual = x_in
    x = layers.Conv2D(filters, (3, 3), strides=stride, padding="same", use_bias=False)(x_in)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(filters, (3, 3), padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Add()([x, residual])
    if not no_relu:
        x = layers.Activation("relu")(x)
    return x


def convolution_block(x_in, filters, dilation=1):
    x = layers.Conv2D(filters, (3, 3), padding="same", dilation_rate=dilation)(x_in)
    x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


def segmentation_head(x_in, out_classes, final_size):
    x = layers.Conv2D(out_classes, kernel_size=(3, 3), padding="same")(x_in)
    if final_size is not None:
        x = layers.Resizing(final_size[0], final_size[1])(x)
    return x


def small_backbone(filters, num_stacks=3):
    """A tiny ResNet-like backbone whose layers are named per stack, like a pretrained one."""
    inputs = layers.Input((None, None, filters))
    x = inputs
    for s in range(num_stacks):
        stride = 1 if s == 0 else 2
        shortcut = layers.Conv2D(filters, 1, strides=stride, name=f"stack_{s}_shortcut")(x)
        y = layers.Conv2D(filters, 3, strides=stride, padding="same", name=f"stack_{s}_block1_1_conv")(x)
        y = layers.BatchNormalization(name=f"stack_{s}_block1_1_bn")(y)
        y = layers.Activation("relu", name=f"stack_{s}_block1_1_relu")(y)
        y = layers.Conv2D(filters, 3, padding="same", name=f"stack_{s}_block1_2_conv")(y)
        x = layers.Add(name=f"stack_{s}_block1_add")([shortcut, y])
    return keras.models.Model(inputs, x, name="backbone")


def get_backbone_block(_backbone, block_num):
    return keras.models.Model(
        inputs=_backbone.get_layer(f"stack_{block_num}_block1_1_conv").input,
        outputs=_backbone.get_layer(f"stack_{block_num}_block1_add").output,
        name=f"backbone_block{block_num + 1}",
    )


def basnet_predict(input_shape, out_classes):
    filters = FILTERS
    num_stages = 4
    x_input = layers.Input(input_shape)
    x = layers.Conv2D(filters, kernel_size=(3, 3), padding="same")(x_input)
    backbone = small_backbone(filters)

    encoder_blocks = []
    for i in range(num_stages):
        if i < 3:
            x = get_backbone_block(backbone, i)(x)
            encoder_blocks.append(x)
            x = layers.Activation("relu")(x)
        else:
            x = layers.MaxPool2D(pool_size=(2, 2), strides=(2, 2))(x)
            x = basic_block(x, filters)
            x = basic_block(x, filters)
            encoder_blocks.append(x)

    # bridge
    x = convolution_block(x, filters, dilation=2)
    x = convolution_block(x, filters, dilation=2)
    encoder_blocks.append(x)

    decoder_blocks = []
    for i in reversed(range(num_stages)):
        if i != (num_stages - 1):
            shape = x.shape
            x = layers.Resizing(shape[1] * 2, shape[2] * 2)(x)
        x = layers.concatenate([encoder_blocks[i], x], axis=-1)
        x = convolution_block(x, filters)
        x = convolution_block(x, filters)
        decoder_blocks.append(x)

    decoder_blocks.reverse()
    decoder_blocks.append(encoder_blocks[-1])
    decoder_blocks = [
        segmentation_head(decoder_block, out_classes, input_shape[:2])
        for decoder_block in decoder_blocks
    ]
    return keras.models.Model(inputs=[x_input], outputs=decoder_blocks)


def basnet_rrm(base_model, out_classes):
    num_stages = 2
    filters = FILTERS
    x_input = base_model.output[0]
    x = layers.Conv2D(filters, kernel_size=(3, 3), padding="same")(x_input)

    encoder_blocks = []
    for _ in range(num_stages):
        x = convolution_block(x, filters)
        encoder_blocks.append(x)
        x = layers.MaxPool2D(pool_size=(2, 2), strides=(2, 2))(x)

    x = convolution_block(x, filters)

    for i in reversed(range(num_stages)):
        shape = x.shape
        x = layers.Resizing(shape[1] * 2, shape[2] * 2)(x)
        x = layers.concatenate([encoder_blocks[i], x], axis=-1)
        x = convolution_block(x, filters)

    x = segmentation_head(x, out_classes, None)
    x = layers.Add()([x_input, x])  # refined = coarse + residual
    return keras.models.Model(inputs=base_model.inputs[0], outputs=x)


def basnet(input_shape, out_classes):
    predict_model = basnet_predict(input_shape, out_classes)
    refine_model = basnet_rrm(predict_model, out_classes)

    output = list(refine_model.outputs)
    output.extend(predict_model.outputs)
    output = [layers.Activation("sigmoid")(_) for _ in output]
    return keras.models.Model(inputs=predict_model.inputs[0], outputs=output)


def _gaussian_kernel(size=11, sigma=1.5):
    coords = np.arange(size, dtype=np.float32) - (size - 1) / 2.0
    g = np.exp(-(coords ** 2) / (2.0 * sigma ** 2))
    g = g / g.sum()
    return np.outer(g, g).astype("float32")


def ssim(img1, img2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03):
    """Per-image SSIM like tf.image.ssim (Gaussian window, VALID filtering), in keras.ops."""
    channels = img1.shape[-1]
    kernel = np.tile(_gaussian_kernel(filter_size, filter_sigma)[:, :, None, None], (1, 1, channels, 1))
    kernel = ops.convert_to_tensor(kernel)

    def blur(x):
        return ops.depthwise_conv(x, kernel, strides=1, padding="valid")

    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mu1, mu2 = blur(img1), blur(img2)
    mu1_sq, mu2_sq, mu12 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    sigma1_sq = blur(img1 * img1) - mu1_sq
    sigma2_sq = blur(img2 * img2) - mu2_sq
    sigma12 = blur(img1 * img2) - mu12
    luminance = (2.0 * mu12 + c1) / (mu1_sq + mu2_sq + c1)
    contrast_structure = (2.0 * sigma12 + c2) / (sigma1_sq + sigma2_sq + c2)
    return ops.mean(luminance * contrast_structure, axis=[1, 2, 3])


class BasnetLoss(keras.losses.Loss):
    """Hybrid loss: binary cross-entropy + SSIM + IoU."""

    def __init__(self, **kwargs):
        super().__init__(name="basnet_loss", **kwargs)
        self.smooth = 1.0e-9
        self.cross_entropy_loss = keras.losses.BinaryCrossentropy()
        self.ssim_value = ssim
        self.iou_value = self.calculate_iou

    def calculate_iou(self, y_true, y_pred):
        intersection = ops.sum(ops.abs(y_true * y_pred), axis=[1, 2, 3])
        union = ops.sum(y_true, [1, 2, 3]) + ops.sum(y_pred, [1, 2, 3])
        union = union - intersection
        return ops.mean((intersection + self.smooth) / (union + self.smooth), axis=0)

    def call(self, y_true, y_pred):
        cross_entropy_loss = self.cross_entropy_loss(y_true, y_pred)
        ssim_value = self.ssim_value(y_true, y_pred, max_val=1)
        ssim_loss = ops.mean(1 - ssim_value + self.smooth, axis=0)
        iou_loss = 1 - self.iou_value(y_true, y_pred)
        return cross_entropy_loss + ssim_loss + iou_loss


basnet_model = basnet(input_shape=[IMAGE_SIZE, IMAGE_SIZE, 3], out_classes=OUT_CLASSES)
print("outputs:", len(basnet_model.outputs), "params:", basnet_model.count_params())

optimizer = keras.optimizers.Adam(learning_rate=1e-3, epsilon=1e-8)
basnet_model.compile(
    loss=BasnetLoss(),
    optimizer=optimizer,
    metrics=[keras.metrics.MeanAbsoluteError(name="mae") for _ in basnet_model.outputs],
)
# Keras 2 used the one mask as the target of every output; Keras 3 wants one target per output.
num_outputs = len(basnet_model.outputs)


def repeat_target(x, y):
    return x, tuple([y] * num_outputs)


history = basnet_model.fit(
    train_dataset.map(repeat_target), validation_data=val_dataset.map(repeat_target), epochs=2, verbose=2
)
print("loss history:", [round(float(v), 4) for v in history.history["loss"]])

predictions = basnet_model.predict(val_dataset, verbose=0)
refined = predictions[0]
print("refined mask:", refined.shape, float(refined.min()) >= 0.0, float(refined.max()) <= 1.0)
assert refined.shape == (4, IMAGE_SIZE, IMAGE_SIZE, 1)
