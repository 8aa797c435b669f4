"""Zero-reference low-light enhancement (keras.io Zero-DCE example), converted by hand to
multi-backend Keras 3: keras.ops in the loss functions (ops.average_pool, ops.conv, ops.shape,
ops.cast), the custom train_step/test_step replaced by compute_loss / compute_metrics overrides
(the loss trackers are updated in compute_metrics) with call() returning the curve maps, the optimizer passed to super().compile(),
save_weights / load_weights overrides with Keras 3's arguments and a `.weights.h5` name,
keras.utils.img_to_array and ops.convert_to_numpy in inference, NumPy data resized with
ops.image.resize."""
import numpy as np
import keras
from keras import layers, ops

IMAGE_SIZE = 32
BATCH_SIZE = 8

rng = np.random.default_rng(9)
low_light = (rng.uniform(size=(32, 40, 40, 3)) * 0.3).astype("float32")


resized = ops.convert_to_numpy(ops.image.resize(low_light, size=(IMAGE_SIZE, IMAGE_SIZE)))
train_images, val_images = resized[:24], resized[24:]


def build_dce_net():
    input_img = keras.Input(shape=[None, None, 3])
    conv1 = layers.Conv2D(8, (3, 3), strides=(1, 1), activation="relu", padding="same")(input_img)
    conv2 = layers.Conv2D(8, (3, 3), strides=(1, 1), activation="relu", padding="same")(conv1)
    conv3 = layers.Conv2D(8, (3, 3), strides=(1, 1), activation="relu", padding="same")(conv2)
    int_con1 = layers.Concatenate(axis=-1)([conv3, conv2])
    conv4 = layers.Conv2D(8, (3, 3), strides=(1, 1), activation="relu", padding="same")(int_con1)
    int_con2 = layers.Concatenate(axis=-1)([conv4, conv1])
    x_r = layers.Conv2D(24, (3, 3), strides=(1, 1), activation="tanh", padding="same")(int_con2)
    return keras.Model(inputs=input_img, outputs=x_r)


def color_constancy_loss(x):
    mean_rgb = ops.mean(x, axis=(1, 2), keepdims=True)
    mr, mg, mb = mean_rgb[:, :, :, 0], mean_rgb[:, :, :, 1], mean_rgb[:, :, :, 2]
    d_rg = ops.square(mr - mg)
    d_rb = ops.square(mr - mb)
    d_gb = ops.square(mb - mg)
    return ops.sqrt(ops.square(d_rg) + ops.square(d_rb) + ops.square(d_gb))


def exposure_loss(x, mean_val=0.6):
    x = ops.mean(x, axis=3, keepdims=True)
    mean = ops.average_pool(x, pool_size=16, strides=16, padding="valid")
    return ops.mean(ops.square(mean - mean_val))


def illumination_smoothness_loss(x):
    batch_size = ops.shape(x)[0]
    h_x = ops.shape(x)[1]
    w_x = ops.shape(x)[2]
    count_h = (ops.shape(x)[2] - 1) * ops.shape(x)[3]
    count_w = ops.shape(x)[2] * (ops.shape(x)[3] - 1)
    h_tv = ops.sum(ops.square((x[:, 1:, :, :] - x[:, : h_x - 1, :, :])))
    w_tv = ops.sum(ops.square((x[:, :, 1:, :] - x[:, :, : w_x - 1, :])))
    batch_size = ops.cast(batch_size, dtype="float32")
    count_h = ops.cast(count_h, dtype="float32")
    count_w = ops.cast(count_w, dtype="float32")
    return 2 * (h_tv / count_h + w_tv / count_w) / batch_size


class SpatialConsistencyLoss(keras.losses.Loss):
    def __init__(self, **kwargs):
        super().__init__(reduction="none")

        self.left_kernel = ops.convert_to_tensor([[[[0, 0, 0]], [[-1, 1, 0]], [[0, 0, 0]]]], dtype="float32")
        self.right_kernel = ops.convert_to_tensor([[[[0, 0, 0]], [[0, 1, -1]], [[0, 0, 0]]]], dtype="float32")
        self.up_kernel = ops.convert_to_tensor([[[[0, -1, 0]], [[0, 1, 0]], [[0, 0, 0]]]], dtype="float32")
        self.down_kernel = ops.convert_to_tensor([[[[0, 0, 0]], [[0, 1, 0]], [[0, -1, 0]]]], dtype="float32")

    def call(self, y_true, y_pred):
        original_mean = ops.mean(y_true, 3, keepdims=True)
        enhanced_mean = ops.mean(y_pred, 3, keepdims=True)
        original_pool = ops.average_pool(original_mean, pool_size=4, strides=4, padding="valid")
        enhanced_pool = ops.average_pool(enhanced_mean, pool_size=4, strides=4, padding="valid")

        d_original_left = ops.conv(original_pool, self.left_kernel, strides=1, padding="same")
        d_original_right = ops.conv(original_pool, self.right_kernel, strides=1, padding="same")
        d_original_up = ops.conv(original_pool, self.up_kernel, strides=1, padding="same")
        d_original_down = ops.conv(original_pool, self.down_kernel, strides=1, padding="same")

        d_enhanced_left = ops.conv(enhanced_pool, self.left_kernel, strides=1, padding="same")
        d_enhanced_right = ops.conv(enhanced_pool, self.right_kernel, strides=1, padding="same")
        d_enhanced_up = ops.conv(enhanced_pool, self.up_kernel, strides=1, padding="same")
        d_enhanced_down = ops.conv(enhanced_pool, self.down_kernel, strides=1, padding="same")

        d_left = ops.square(d_original_left - d_enhanced_left)
        d_right = ops.square(d_original_right - d_enhanced_right)
        d_up = ops.square(d_original_up - d_enhanced_up)
        d_down = ops.square(d_original_down - d_enhanced_down)
        return d_left + d_right + d_up + d_down


class ZeroDCE(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dce_model = build_dce_net()
        self.spatial_constancy_loss = SpatialConsistencyLoss(reduction="none")
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.illumination_smoothness_loss_tracker = keras.metrics.Mean(name="illumination_smoothness_loss")
        self.spatial_constancy_loss_tracker = keras.metrics.Mean(name="spatial_constancy_loss")
        self.color_constancy_loss_tracker = keras.metrics.Mean(name="color_constancy_loss")
        self.exposure_loss_tracker = keras.metrics.Mean(name="exposure_loss")

    def compile(self, learning_rate, **kwargs):
        super().compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), **kwargs)

    @property
    def metrics(self):
        return [
            self.total_loss_tracker,
            self.illumination_smoothness_loss_tracker,
            self.spatial_constancy_loss_tracker,
            self.color_constancy_loss_tracker,
            self.exposure_loss_tracker,
        ]

    def get_enhanced_image(self, data, output):
        r1 = output[:, :, :, :3]
        r2 = output[:, :, :, 3:6]
        r3 = output[:, :, :, 6:9]
        r4 = output[:, :, :, 9:12]
        r5 = output[:, :, :, 12:15]
        r6 = output[:, :, :, 15:18]
        r7 = output[:, :, :, 18:21]
        r8 = output[:, :, :, 21:24]
        x = data + r1 * (ops.square(data) - data)
        x = x + r2 * (ops.square(x) - x)
        x = x + r3 * (ops.square(x) - x)
        enhanced_image = x + r4 * (ops.square(x) - x)
        x = enhanced_image + r5 * (ops.square(enhanced_image) - enhanced_image)
        x = x + r6 * (ops.square(x) - x)
        x = x + r7 * (ops.square(x) - x)
        enhanced_image = x + r8 * (ops.square(x) - x)
        return enhanced_image

    # call() returns the curve maps the losses need; get_enhanced_image() applies them.
    def call(self, data, training=False):
        return self.dce_model(data, training=training)

    def compute_losses(self, data, output):
        enhanced_image = self.get_enhanced_image(data, output)
        loss_illumination = 200 * illumination_smoothness_loss(output)
        loss_spatial_constancy = ops.mean(self.spatial_constancy_loss(enhanced_image, data))
        loss_color_constancy = 5 * ops.mean(color_constancy_loss(enhanced_image))
        loss_exposure = 10 * ops.mean(exposure_loss(enhanced_image))
        total_loss = loss_illumination + loss_spatial_constancy + loss_color_constancy + loss_exposure

        return {
            "total_loss": total_loss,
            "illumination_smoothness_loss": loss_illumination,
            "spatial_constancy_loss": loss_spatial_constancy,
            "color_constancy_loss": loss_color_constancy,
            "exposure_loss": loss_exposure,
        }

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return self.compute_losses(x, y_pred)["total_loss"]

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        losses = self.compute_losses(x, y_pred)
        self.total_loss_tracker.update_state(losses["total_loss"])
        self.illumination_smoothness_loss_tracker.update_state(losses["illumination_smoothness_loss"])
        self.spatial_constancy_loss_tracker.update_state(losses["spatial_constancy_loss"])
        self.color_constancy_loss_tracker.update_state(losses["color_constancy_loss"])
        self.exposure_loss_tracker.update_state(losses["exposure_loss"])
        return {metric.name: metric.result() for metric in self.metrics}

    def save_weights(self, filepath, overwrite=True):
        """While saving the weights, we simply save the weights of the DCE-Net"""
        self.dce_model.save_weights(filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False):
        """While loading the weights, we simply load the weights of the DCE-Net"""
        self.dce_model.load_weights(filepath=filepath, skip_mismatch=skip_mismatch)


zero_dce_model = ZeroDCE()
zero_dce_model.compile(learning_rate=1e-4)
history = zero_dce_model.fit(train_images, batch_size=BATCH_SIZE, validation_data=(val_images,), epochs=2, verbose=0)
print("zero-dce history:", {k: round(float(v[-1]), 4) for k, v in history.history.items()})

zero_dce_model.save_weights("zero_dce.weights.h5")
zero_dce_model.load_weights("zero_dce.weights.h5")


def infer(original_image):
    image = keras.utils.img_to_array(original_image)
    image = image.astype("float32") / 255.0
    image = ops.convert_to_tensor(np.expand_dims(image, axis=0))
    output_image = zero_dce_model.get_enhanced_image(image, zero_dce_model(image))
    output_image = ops.convert_to_numpy(output_image[0, :, :, :] * 255).astype(np.uint8)
    return output_image


original = (low_light[0] * 255).astype("uint8")
enhanced = infer(original)
print("enhanced:", enhanced.shape, enhanced.dtype, int(enhanced.mean()), ">", int(original.mean()))
