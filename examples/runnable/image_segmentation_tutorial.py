"""TensorFlow tutorial "Image segmentation" (tf.keras era, Oxford-IIIT Pets U-Net on a MobileNetV2
encoder), on synthetic images with blob masks at 32x32 and weights=None (no download).

load_image() with tf.image.resize / tf.cast(...) / 255.0 and `input_mask -= 1` mapped over a
tf.data dataset; an Augment(tf.keras.layers.Layer) holding two RandomFlip(mode="horizontal",
seed=seed) layers whose call(inputs, labels) returns both, passed itself to Dataset.map after
.repeat(); tf.keras.applications.MobileNetV2(include_top=False) whose named activations
(base_model.get_layer(name).output) make a frozen down_stack model; pix2pix-style upsample()
blocks (Conv2DTranspose with kernel_initializer=tf.random_normal_initializer(0., 0.02),
use_bias=False, BatchNormalization, Dropout, ReLU); the U-Net joined with reversed(skips) and a
Concatenate per level; SparseCategoricalCrossentropy(from_logits=True) on (batch, h, w, 1)
masks with metrics=['accuracy']; create_mask with tf.argmax and pred_mask[..., tf.newaxis];
a DisplayCallback(tf.keras.callbacks.Callback) predicting on sample_image[tf.newaxis, ...] at
each epoch end; fit(steps_per_epoch=, validation_steps=); class_weight on the 3-D output in a
try/except, then per-pixel sample weights from tf.gather(class_weights, tf.cast(label, tf.int32))
added by Dataset.map."""
import numpy as np
import tensorflow as tf

np.random.seed(4)
tf.random.set_seed(4)

IMG = 32


def synthetic_pets(n):
    """Images with one bright ellipse (the pet), a border ring and background; masks 1/2/3."""
    yy, xx = np.mgrid[0:IMG, 0:IMG]
    images = np.random.rand(n, IMG, IMG, 3).astype("float32") * 80
    masks = np.full((n, IMG, IMG, 1), 2, dtype="uint8")  # background
    for i in range(n):
        cy, cx = np.random.randint(8, 24, 2)
        r = np.random.randint(4, 7)
        d = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
        masks[i, d < r + 2, 0] = 3  # border
        masks[i, d < r, 0] = 1  # pet
        images[i][d < r] += 150
    return images.astype("uint8"), masks


train_images_np, train_masks_np = synthetic_pets(8)
test_images_np, test_masks_np = synthetic_pets(8)
dataset = {
    "train": tf.data.Dataset.from_tensor_slices(
        {"image": train_images_np, "segmentation_mask": train_masks_np}),
    "test": tf.data.Dataset.from_tensor_slices(
        {"image": test_images_np, "segmentation_mask": test_masks_np}),
}
TRAIN_LENGTH = len(train_images_np)


def normalize(input_image, input_mask):
    input_image = tf.cast(input_image, tf.float32) / 255.0
    input_mask -= 1
    return input_image, input_mask


def load_image(datapoint):
    input_image = tf.image.resize(datapoint['image'], (IMG, IMG))
    input_mask = tf.image.resize(datapoint['segmentation_mask'], (IMG, IMG), method='nearest')

    input_image, input_mask = normalize(input_image, input_mask)

    return input_image, input_mask


BATCH_SIZE = 4
BUFFER_SIZE = 100
STEPS_PER_EPOCH = TRAIN_LENGTH // BATCH_SIZE

train_images = dataset['train'].map(load_image, num_parallel_calls=tf.data.AUTOTUNE)
test_images = dataset['test'].map(load_image, num_parallel_calls=tf.data.AUTOTUNE)


class Augment(tf.keras.layers.Layer):
    def __init__(self, seed=42):
        super().__init__()
        # both use the same seed, so they'll make the same random changes.
        self.augment_inputs = tf.keras.layers.RandomFlip(mode="horizontal", seed=seed)
        self.augment_labels = tf.keras.layers.RandomFlip(mode="horizontal", seed=seed)

    def call(self, inputs, labels):
        inputs = self.augment_inputs(inputs)
        labels = self.augment_labels(labels)
        return inputs, labels


train_batches = (
    train_images
    .cache()
    .shuffle(BUFFER_SIZE)
    .batch(BATCH_SIZE)
    .repeat()
    .map(Augment())
    .prefetch(buffer_size=tf.data.AUTOTUNE))

test_batches = test_images.batch(BATCH_SIZE)

for images, masks in train_batches.take(1):
    sample_image, sample_mask = images[0], masks[0]
print("sample", sample_image.shape, sample_mask.shape)

base_model = tf.keras.applications.MobileNetV2(input_shape=[IMG, IMG, 3], include_top=False,
                                               weights=None, alpha=0.35)

# Use the activations of these layers
layer_names = [
    'block_1_expand_relu',   # 16x16
    'block_3_expand_relu',   # 8x8
    'block_6_expand_relu',   # 4x4
    'block_13_expand_relu',  # 2x2
    'block_16_project',      # 1x1
]
base_model_outputs = [base_model.get_layer(name).output for name in layer_names]

# Create the feature extraction model
down_stack = tf.keras.Model(inputs=base_model.input, outputs=base_model_outputs)

down_stack.trainable = False


def upsample(filters, size, apply_dropout=False):
    """Upsamples an input: Conv2DTranspose => Batchnorm => Dropout => Relu (pix2pix.upsample)."""
    initializer = tf.random_normal_initializer(0., 0.02)

    result = tf.keras.Sequential()
    result.add(
        tf.keras.layers.Conv2DTranspose(filters, size, strides=2,
                                        padding='same',
                                        kernel_initializer=initializer,
                                        use_bias=False))

    result.add(tf.keras.layers.BatchNormalization())

    if apply_dropout:
        result.add(tf.keras.layers.Dropout(0.5))

    result.add(tf.keras.layers.ReLU())

    return result


up_stack = [
    upsample(64, 3),   # 1x1 -> 2x2
    upsample(32, 3),   # 2x2 -> 4x4
    upsample(16, 3),   # 4x4 -> 8x8
    upsample(8, 3),    # 8x8 -> 16x16
]


def unet_model(output_channels: int):
    inputs = tf.keras.layers.Input(shape=[IMG, IMG, 3])

    # Downsampling through the model
    skips = down_stack(inputs)
    x = skips[-1]
    skips = reversed(skips[:-1])

    # Upsampling and establishing the skip connections
    for up, skip in zip(up_stack, skips):
        x = up(x)
        concat = tf.keras.layers.Concatenate()
        x = concat([x, skip])

    # This is the last layer of the model
    last = tf.keras.layers.Conv2DTranspose(
        filters=output_channels, kernel_size=3, strides=2,
        padding='same')  # 16x16 -> 32x32

    x = last(x)

    return tf.keras.Model(inputs=inputs, outputs=x)


OUTPUT_CLASSES = 3

model = unet_model(output_channels=OUTPUT_CLASSES)
model.compile(optimizer='adam',
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])


def create_mask(pred_mask):
    pred_mask = tf.argmax(pred_mask, axis=-1)
    pred_mask = pred_mask[..., tf.newaxis]
    return pred_mask[0]


def show_predictions(dataset=None, num=1):
    if dataset:
        for image, mask in dataset.take(num):
            pred_mask = model.predict(image)
            print("predicted mask", create_mask(pred_mask).shape, "true", mask[0].shape)
    else:
        mask = create_mask(model.predict(sample_image[tf.newaxis, ...]))
        print("predicted classes", np.unique(np.asarray(mask)))


show_predictions()


class DisplayCallback(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        show_predictions()
        print('\nSample Prediction after epoch {}\n'.format(epoch + 1))


EPOCHS = 2
VAL_SUBSPLITS = 2
VALIDATION_STEPS = len(test_images_np) // BATCH_SIZE // VAL_SUBSPLITS

model_history = model.fit(train_batches, epochs=EPOCHS,
                          steps_per_epoch=STEPS_PER_EPOCH,
                          validation_steps=VALIDATION_STEPS,
                          validation_data=test_batches,
                          callbacks=[DisplayCallback()])

loss = model_history.history['loss']
val_loss = model_history.history['val_loss']
print("loss", loss, "val_loss", val_loss)

show_predictions(test_batches, 2)

try:
    model_history = model.fit(train_batches, epochs=EPOCHS,
                              steps_per_epoch=STEPS_PER_EPOCH,
                              class_weight={0: 2.0, 1: 2.0, 2: 1.0})
    assert False
except Exception as e:
    print(f"Expected {type(e).__name__}: {e}")

label = [0, 0]
prediction = [[-3., 0], [-3, 0]]
sample_weight = [1, 10]

loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True,
                                                     reduction=tf.keras.losses.Reduction.NONE)
print("unweighted", loss(label, prediction).numpy(), "weighted",
      loss(label, prediction, sample_weight).numpy())


def add_sample_weights(image, label):
    # The weights for each class, with the constraint that:
    #     sum(class_weights) == 1.0
    class_weights = tf.constant([2.0, 2.0, 1.0])
    class_weights = class_weights / tf.reduce_sum(class_weights)

    # Create an image of `sample_weights` by using the label at each pixel as an
    # index into the `class weights` .
    sample_weights = tf.gather(class_weights, indices=tf.cast(label, tf.int32))

    return image, label, sample_weights


print(train_batches.map(add_sample_weights).element_spec)

weighted_model = unet_model(OUTPUT_CLASSES)
weighted_model.compile(
    optimizer='adam',
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=['accuracy'])

weighted_model.fit(
    train_batches.map(add_sample_weights),
    epochs=1,
    steps_per_epoch=2)
