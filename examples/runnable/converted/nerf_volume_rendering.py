"""NeRF, 3D volumetric rendering with NeRF (after the keras.io example, tf.keras era, shrunk): rays
from camera poses with tf.meshgrid / tf.stack / tf.broadcast_to in a tf.data map, a positional
encoding with tf.sin / tf.cos and tf.concat, an MLP with skip concatenations, volume rendering with
tf.math.cumprod(exclusive=True), tf.exp and tf.reduce_sum, a NeRF(keras.Model) with compile(optimizer,
loss_fn), a tf.GradientTape train_step over the inner model's variables, a test_step, tf.image.psnr
metrics and a callback rendering with model.predict. Random images and poses stand in for the
tiny_nerf.npz download.

Hand conversion to multi-backend Keras 3. The ray generation stays TensorFlow code inside the
tf.data pipeline (tf.data feeds fit() on every backend). The model code uses keras.ops (ops.sigmoid,
ops.relu, ops.exp, ops.cumprod with the exclusive product written as a shifted ops.concatenate,
ops.sum, ops.broadcast_to, ops.reshape). The single-optimizer tape step becomes the built-in
train_step: NeRF.call(rays) renders the image, the pipeline yields (rays, images) so the images are
the targets, compile() passes loss_fn as the loss and a per-image PSNR function (tf.image.psnr
written with ops.mean / ops.log) as a metric; the callback reads a NumPy batch."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

# Initialize global variables.
AUTO = tf.data.AUTOTUNE
BATCH_SIZE = 2
NUM_SAMPLES = 8
POS_ENCODE_DIMS = 4
EPOCHS = 2

# Random stand-ins for data["images"], data["poses"] and data["focal"] of tiny_nerf.npz
rng = np.random.default_rng(0)
num_images = 8
images = rng.random((num_images, 8, 8, 3)).astype("float32")
poses = rng.random((num_images, 4, 4)).astype("float32")
focal = np.float32(10.0)
(num_images, H, W, _) = images.shape


def encode_position(x):
    """Encodes the position into its corresponding Fourier feature."""
    positions = [x]
    for i in range(POS_ENCODE_DIMS):
        for fn in [tf.sin, tf.cos]:
            positions.append(fn(2.0**i * x))
    return tf.concat(positions, axis=-1)


def get_rays(height, width, focal, pose):
    """Computes origin point and direction vector of rays."""
    # Build a meshgrid for the rays.
    i, j = tf.meshgrid(
        tf.range(width, dtype=tf.float32),
        tf.range(height, dtype=tf.float32),
        indexing="xy",
    )
    # Normalize the x axis coordinates.
    transformed_i = (i - width * 0.5) / focal
    # Normalize the y axis coordinates.
    transformed_j = (j - height * 0.5) / focal
    # Create the direction unit vectors.
    directions = tf.stack([transformed_i, -transformed_j, -tf.ones_like(i)], axis=-1)
    # Get the camera matrix.
    camera_matrix = pose[:3, :3]
    height_width_focal = pose[:3, -1]
    # Get origins and directions for the rays.
    transformed_dirs = directions[..., None, :]
    camera_dirs = transformed_dirs * camera_matrix
    ray_directions = tf.reduce_sum(camera_dirs, axis=-1)
    ray_origins = tf.broadcast_to(height_width_focal, tf.shape(ray_directions))
    return (ray_origins, ray_directions)


def render_flat_rays(ray_origins, ray_directions, near, far, num_samples, rand=False):
    """Renders the rays and flattens it."""
    # Compute 3D query points.
    t_vals = tf.linspace(near, far, num_samples)
    if rand:
        # Inject uniform noise into sample space to make the sampling continuous.
        shape = list(ray_origins.shape[:-1]) + [num_samples]
        noise = tf.random.uniform(shape=shape) * (far - near) / num_samples
        t_vals = t_vals + noise
    # Equation: r(t) = o + td -> Building the "t" here.
    rays = ray_origins[..., None, :] + (ray_directions[..., None, :] * t_vals[..., None])
    rays_flat = tf.reshape(rays, [-1, 3])
    rays_flat = encode_position(rays_flat)
    return (rays_flat, t_vals)


def map_fn(pose):
    """Maps individual pose to flattened rays and sample points."""
    (ray_origins, ray_directions) = get_rays(height=H, width=W, focal=focal, pose=pose)
    (rays_flat, t_vals) = render_flat_rays(
        ray_origins=ray_origins,
        ray_directions=ray_directions,
        near=2.0,
        far=6.0,
        num_samples=NUM_SAMPLES,
        rand=True,
    )
    return (rays_flat, t_vals)


# Create the training split.
split_index = int(num_images * 0.75)
train_images = images[:split_index]
val_images = images[split_index:]
train_poses = poses[:split_index]
val_poses = poses[split_index:]

# Make the training pipeline.
train_img_ds = tf.data.Dataset.from_tensor_slices(train_images)
train_pose_ds = tf.data.Dataset.from_tensor_slices(train_poses)
train_ray_ds = train_pose_ds.map(map_fn, num_parallel_calls=AUTO)
training_ds = tf.data.Dataset.zip((train_ray_ds, train_img_ds))
train_ds = (
    training_ds.shuffle(BATCH_SIZE)
    .batch(BATCH_SIZE, drop_remainder=True, num_parallel_calls=AUTO)
    .prefetch(AUTO)
)

# Make the validation pipeline.
val_img_ds = tf.data.Dataset.from_tensor_slices(val_images)
val_pose_ds = tf.data.Dataset.from_tensor_slices(val_poses)
val_ray_ds = val_pose_ds.map(map_fn, num_parallel_calls=AUTO)
validation_ds = tf.data.Dataset.zip((val_ray_ds, val_img_ds))
val_ds = (
    validation_ds.shuffle(BATCH_SIZE)
    .batch(BATCH_SIZE, drop_remainder=True, num_parallel_calls=AUTO)
    .prefetch(AUTO)
)


def get_nerf_model(num_layers, num_pos):
    """Generates the NeRF neural network."""
    inputs = keras.Input(shape=(num_pos, 2 * 3 * POS_ENCODE_DIMS + 3))
    x = inputs
    for i in range(num_layers):
        x = layers.Dense(units=16, activation="relu")(x)
        if i % 4 == 0 and i > 0:
            # Inject residual connection.
            x = layers.concatenate([x, inputs], axis=-1)
    outputs = layers.Dense(units=4)(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def render_rgb_depth(model, rays_flat, t_vals, rand=True, train=True):
    """Generates the RGB image and depth map from model prediction."""
    # Get the predictions from the nerf model and reshape it.
    if train:
        predictions = model(rays_flat)
    else:
        predictions = model.predict(rays_flat)
    predictions = ops.reshape(predictions, (BATCH_SIZE, H, W, NUM_SAMPLES, 4))

    # Slice the predictions into rgb and sigma.
    rgb = ops.sigmoid(predictions[..., :-1])
    sigma_a = ops.relu(predictions[..., -1])

    # Get the distance of adjacent intervals.
    delta = t_vals[..., 1:] - t_vals[..., :-1]
    # delta shape = (num_samples)
    if rand:
        delta = ops.concatenate([delta, ops.broadcast_to(1e10, (BATCH_SIZE, H, W, 1))], axis=-1)
        alpha = 1.0 - ops.exp(-sigma_a * delta)
    else:
        delta = ops.concatenate([delta, ops.broadcast_to(1e10, (BATCH_SIZE, 1))], axis=-1)
        alpha = 1.0 - ops.exp(-sigma_a * delta[:, None, None, :])

    # Get transmittance (tf.math.cumprod(..., exclusive=True): the product of the terms before).
    exp_term = 1.0 - alpha
    epsilon = 1e-10
    shifted = ops.concatenate([ops.ones_like(exp_term[..., :1]), exp_term[..., :-1] + epsilon], axis=-1)
    transmittance = ops.cumprod(shifted, axis=-1)
    weights = alpha * transmittance
    rgb = ops.sum(weights[..., None] * rgb, axis=-2)

    if rand:
        depth_map = ops.sum(weights * t_vals, axis=-1)
    else:
        depth_map = ops.sum(weights * t_vals[:, None, None], axis=-1)
    return (rgb, depth_map)


def psnr(images, rgb):
    """tf.image.psnr(images, rgb, max_val=1.0): one value per image."""
    mse = ops.mean(ops.square(ops.cast(images, "float32") - rgb), axis=[-3, -2, -1])
    return -10.0 * ops.log(mse) / ops.log(10.0)


class NeRF(keras.Model):
    def __init__(self, nerf_model):
        super().__init__()
        self.nerf_model = nerf_model

    def compile(self, optimizer, loss_fn):
        super().compile(optimizer=optimizer, loss=loss_fn, metrics=[psnr])

    def call(self, rays):
        (rays_flat, t_vals) = rays
        rgb, _ = render_rgb_depth(model=self.nerf_model, rays_flat=rays_flat, t_vals=t_vals, rand=True)
        return rgb


test_rays, test_imgs = next(iter(train_ds.as_numpy_iterator()))
test_rays_flat, test_t_vals = test_rays

loss_list = []


class TrainMonitor(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        loss = logs["loss"]
        loss_list.append(loss)
        test_recons_images, depth_maps = render_rgb_depth(
            model=self.model.nerf_model,
            rays_flat=test_rays_flat,
            t_vals=test_t_vals,
            rand=True,
            train=False,
        )
        # The original plots keras.utils.array_to_img(test_recons_images[0]) and the depth map.
        print(
            "epoch", epoch, "recons", ops.convert_to_numpy(test_recons_images[0]).shape,
            "depth", ops.convert_to_numpy(depth_maps[0]).shape, "loss", float(loss),
        )


num_pos = H * W * NUM_SAMPLES
nerf_model = get_nerf_model(num_layers=6, num_pos=num_pos)

model = NeRF(nerf_model)
model.compile(optimizer=keras.optimizers.Adam(), loss_fn=keras.losses.MeanSquaredError())

model.fit(
    train_ds,
    validation_data=val_ds,
    batch_size=BATCH_SIZE,
    epochs=EPOCHS,
    callbacks=[TrainMonitor()],
    steps_per_epoch=split_index // BATCH_SIZE,
)

# Render a few views of the validation images.
test_recons_images, depth_maps = render_rgb_depth(
    model=nerf_model, rays_flat=test_rays_flat, t_vals=test_t_vals, rand=True, train=False
)
print("rendered", test_recons_images.shape, depth_maps.shape, "losses", len(loss_list))
