"""Hand conversion to multi-backend Keras 3: vgg19.preprocess_input moves from the tf.data map
into the model (on JAX and PyTorch it computes with the backend's own ops and cannot take a symbolic
tf.Tensor), keras.initializers.Constant instead of tf.constant_initializer, softmax heads become
logits with SparseCategoricalCrossentropy(from_logits=True) (the rank-4 probability map fails the
PyTorch backward pass), and NumPy instead of tf ops on predictions.

Composable Fully-Convolutional Networks (FCN-32s / FCN-16s / FCN-8s) for semantic segmentation, in
the style of the keras.io example of the tf.keras era: a dict-of-tensors tf.data pipeline (Oxford-Pets-like
"image" / "segmentation_mask" with trimap values 1..3) mapped through a keras.layers.Resizing layer built
inside the map function and keras.applications.vgg19.preprocess_input; a VGG19 backbone
(keras.applications, weights=None here, include_top=True) cut into a multi-output keras.models.Model from
vgg_model.layers[1].input to three block pool outputs, frozen; the fully-connected head recast as
Conv2D layers with kernel_initializer=keras.initializers.Constant(1.0) in a frozen Sequential, assigned back
into the backbone's output list; UpSampling2D(interpolation="bilinear",
data_format=keras.backend.image_data_format()); Add skip connections; three models sharing the backbone,
each compiled with AdamW(weight_decay=) and MeanIoU(sparse_y_pred=False) + SparseCategoricalAccuracy;
fc1 / fc2 weights reshaped into the conv kernels with get_weights / set_weights; a mixed-precision flag;
a random test index drawn with tf.random.uniform(...).numpy(), predictions argmax'ed with tf.argmax."""
import numpy as np
import keras
import tensorflow as tf

keras.utils.set_random_seed(27)

AUTOTUNE = tf.data.AUTOTUNE

NUM_CLASSES = 4
INPUT_HEIGHT = 32
INPUT_WIDTH = 32
LEARNING_RATE = 1e-3
WEIGHT_DECAY = 1e-4
EPOCHS = 1
BATCH_SIZE = 4
MIXED_PRECISION = False

if MIXED_PRECISION:
    policy = keras.mixed_precision.Policy("mixed_float16")
    keras.mixed_precision.set_global_policy(policy)

# Synthetic stand-in for the Oxford-IIIT Pets split: 40x40 RGB images and trimap masks (1, 2, 3).
rng = np.random.default_rng(3)


def make_split(n):
    images = rng.integers(0, 256, size=(n, 40, 40, 3)).astype("uint8")
    masks = rng.integers(1, 4, size=(n, 40, 40, 1)).astype("uint8")
    return tf.data.Dataset.from_tensor_slices(
        {"image": images, "segmentation_mask": masks}
    ).batch(BATCH_SIZE)


train_ds, valid_ds, test_ds = make_split(4), make_split(4), make_split(4)


def unpack_resize_data(section):
    image = section["image"]
    segmentation_mask = section["segmentation_mask"]
    resize_layer = keras.layers.Resizing(INPUT_HEIGHT, INPUT_WIDTH)
    image = resize_layer(image)
    segmentation_mask = resize_layer(segmentation_mask)
    return image, segmentation_mask


train_ds = train_ds.map(unpack_resize_data, num_parallel_calls=AUTOTUNE)
valid_ds = valid_ds.map(unpack_resize_data, num_parallel_calls=AUTOTUNE)
test_ds = test_ds.map(unpack_resize_data, num_parallel_calls=AUTOTUNE)

images, masks = next(iter(test_ds))
random_idx = np.random.randint(0, BATCH_SIZE)
test_image = images[random_idx].numpy().astype("float")
test_mask = masks[random_idx].numpy().astype("float")
print("sample:", test_image.shape, test_mask.shape, float(test_mask.max()))


train_ds = train_ds.prefetch(AUTOTUNE)
valid_ds = valid_ds.prefetch(AUTOTUNE)
test_ds = test_ds.prefetch(AUTOTUNE)

# Backbone: VGG19 (no download here), three pooled feature maps.
input_layer = keras.Input(shape=(INPUT_HEIGHT, INPUT_WIDTH, 3))
vgg_model = keras.applications.vgg19.VGG19(
    include_top=True, weights=None, input_shape=(INPUT_HEIGHT, INPUT_WIDTH, 3)
)
fcn_backbone = keras.models.Model(
    inputs=vgg_model.layers[1].input,
    outputs=[
        vgg_model.get_layer(name).output
        for name in ["block3_pool", "block4_pool", "block5_pool"]
    ],
)
fcn_backbone.trainable = False

# VGG preprocessing (RGB->BGR, mean subtraction) inside the model.
x = fcn_backbone(keras.applications.vgg19.preprocess_input(input_layer))

# fc1 / fc2 recast as convolutions (the 32x32 input leaves a 1x1 map after block5_pool).
units = [4096, 4096]
dense_convs = []
for idx in range(len(units)):
    dense_convs.append(
        keras.layers.Conv2D(
            filters=units[idx],
            kernel_size=(1, 1),
            strides=(1, 1),
            activation="relu",
            padding="same",
            use_bias=False,
            kernel_initializer=keras.initializers.Constant(1.0),
        )
    )
    dense_convs.append(keras.layers.Dropout(0.5))
dense_convs = keras.Sequential(dense_convs)
dense_convs.trainable = False

x[-1] = dense_convs(x[-1])
pool3_output, pool4_output, pool5_output = x

# FCN-32s
pool5 = keras.layers.Conv2D(NUM_CLASSES, (1, 1), padding="same", activation="relu")
fcn32s_conv = keras.layers.Conv2D(NUM_CLASSES, (1, 1), activation=None, padding="same")
fcn32s_upsampling = keras.layers.UpSampling2D(
    size=(32, 32),
    data_format=keras.backend.image_data_format(),
    interpolation="bilinear",
)
final_fcn32s_pool = pool5(pool5_output)
final_fcn32s_output = fcn32s_upsampling(fcn32s_conv(final_fcn32s_pool))
fcn32s_model = keras.Model(inputs=input_layer, outputs=final_fcn32s_output)

# FCN-16s
pool4 = keras.layers.Conv2D(
    NUM_CLASSES,
    (1, 1),
    padding="same",
    activation="linear",
    kernel_initializer=keras.initializers.Zeros(),
)(pool4_output)
pool5_up = keras.layers.UpSampling2D(
    size=(2, 2),
    data_format=keras.backend.image_data_format(),
    interpolation="bilinear",
)(final_fcn32s_pool)
final_fcn16s_pool = keras.layers.Add()([pool4, pool5_up])
final_fcn16s_output = keras.layers.Conv2D(
    NUM_CLASSES, (1, 1), activation=None, padding="same"
)(final_fcn16s_pool)
final_fcn16s_output = keras.layers.UpSampling2D(
    size=(16, 16),
    data_format=keras.backend.image_data_format(),
    interpolation="bilinear",
)(final_fcn16s_output)
fcn16s_model = keras.models.Model(inputs=input_layer, outputs=final_fcn16s_output)

# FCN-8s
pool3 = keras.layers.Conv2D(
    NUM_CLASSES,
    (1, 1),
    padding="same",
    activation="linear",
    kernel_initializer=keras.initializers.Zeros(),
)(pool3_output)
pool4_up = keras.layers.UpSampling2D(
    size=(2, 2),
    data_format=keras.backend.image_data_format(),
    interpolation="bilinear",
)(final_fcn16s_pool)
final_fcn8s_pool = keras.layers.Add()([pool3, pool4_up])
final_fcn8s_output = keras.layers.Conv2D(
    NUM_CLASSES, (1, 1), activation=None, padding="same"
)(final_fcn8s_pool)
final_fcn8s_output = keras.layers.UpSampling2D(
    size=(8, 8),
    data_format=keras.backend.image_data_format(),
    interpolation="bilinear",
)(final_fcn8s_output)
fcn8s_model = keras.models.Model(inputs=input_layer, outputs=final_fcn8s_output)

# Dense weights of the backbone's head, reshaped into the 1x1 conv kernels.
weights1 = vgg_model.get_layer("fc1").get_weights()[0]
weights2 = vgg_model.get_layer("fc2").get_weights()[0]
weights1 = weights1.reshape(1, 1, 512, 4096)
weights2 = weights2.reshape(1, 1, 4096, 4096)
dense_convs.layers[0].set_weights([weights1])
dense_convs.layers[2].set_weights([weights2])

histories = {}
for name, model in [("fcn32s", fcn32s_model), ("fcn16s", fcn16s_model), ("fcn8s", fcn8s_model)]:
    model.compile(
        optimizer=keras.optimizers.AdamW(
            learning_rate=LEARNING_RATE, weight_decay=WEIGHT_DECAY
        ),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[
            keras.metrics.MeanIoU(num_classes=NUM_CLASSES, sparse_y_pred=False),
            keras.metrics.SparseCategoricalAccuracy(),
        ],
    )
    histories[name] = model.fit(train_ds, epochs=EPOCHS, validation_data=valid_ds, verbose=2)
    print(name, "val keys:", sorted(histories[name].history))

print("fcn8s evaluate:", fcn8s_model.evaluate(test_ds, verbose=0))

images, masks = next(iter(test_ds))
random_idx = np.random.randint(0, BATCH_SIZE)
test_image = images[random_idx].numpy()
pred_mask = fcn8s_model.predict(np.expand_dims(test_image, axis=0), verbose=0)
pred_mask = np.argmax(pred_mask, axis=-1)
pred_mask = pred_mask[..., np.newaxis][0]
print("predicted mask:", pred_mask.shape, "classes", np.unique(pred_mask))
