"""Consistency training with supervision (after the keras.io example "Consistency training with
supervision"): a teacher trained with fit(), then a student trained by a SelfEnsembling model on
noisy (augmented) images, with a KL distillation loss against the teacher's softened predictions
on the clean images.

Hand conversion to multi-backend Keras 3. The tf.data pipeline keeps its TF image ops (tf.data
runs on TensorFlow whatever the backend). The SelfEnsembling train_step only trains the student
with one optimizer, so, as in the keras.io Keras 3 knowledge-distillation example, it becomes
call() (the student's forward pass) plus a compute_loss() override: the zipped dataset is mapped
to ((clean images, noisy images), labels) so that the default train_step can unpack it; call()
runs the student on the noisy images (or on the plain images during evaluation), compute_loss()
runs the frozen teacher on the clean images. The compiled "accuracy" metric is computed by the
default compute_metrics() (the argmax of logits and of their softmax agree). keras.ops.softmax
replaces tf.nn.softmax, layers.Rescaling the experimental preprocessing layer, and weights are
saved as .weights.h5."""
import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

AUTO = tf.data.AUTOTUNE
BATCH_SIZE = 16
EPOCHS = 1
CROP_TO = 16
RESIZE_TO = 18
NUM_CLASSES = 4

x_train = np.random.randint(0, 256, size=(64, 20, 20, 3)).astype("uint8")
y_train = np.random.randint(0, NUM_CLASSES, size=(64, 1))
x_test = np.random.randint(0, 256, size=(32, 20, 20, 3)).astype("uint8")
y_test = np.random.randint(0, NUM_CLASSES, size=(32, 1))
y_train = keras.utils.to_categorical(y_train, NUM_CLASSES)
y_test = keras.utils.to_categorical(y_test, NUM_CLASSES)


def preprocess_train(image, label, noisy=True):
    image = tf.image.random_flip_left_right(image)
    # We first resize the original image to a larger dimension
    # and then we take random crops from it.
    image = tf.image.resize(image, [RESIZE_TO, RESIZE_TO])
    image = tf.image.random_crop(image, [CROP_TO, CROP_TO, 3])
    if noisy:
        image = tf.image.random_brightness(image, 0.2 * 255)
        image = tf.image.random_saturation(image, 0.6, 1.4)
        image = tf.clip_by_value(image, 0.0, 255.0)
    return image, label


def preprocess_test(image, label):
    image = tf.image.central_crop(image, 0.8)
    image = tf.image.resize(image, [CROP_TO, CROP_TO])
    return image, label


train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))
validation_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test))

# This dataset will be used to train the first model.
train_clean_ds = (
    train_ds.shuffle(BATCH_SIZE * 4, seed=0)
    .map(lambda x, y: (preprocess_train(x, y, noisy=False)), num_parallel_calls=AUTO)
    .prefetch(AUTO)
)
# This prepares the `Dataset` object to use RandAugment-like noise.
train_noisy_ds = (
    train_ds.shuffle(BATCH_SIZE * 4, seed=1)
    .map(preprocess_train, num_parallel_calls=AUTO)
    .prefetch(AUTO)
)
validation_ds = validation_ds.map(preprocess_test, num_parallel_calls=AUTO).batch(BATCH_SIZE).prefetch(AUTO)
# This dataset will be used to train the second model.
consistency_training_ds = tf.data.Dataset.zip((train_clean_ds, train_noisy_ds)).batch(BATCH_SIZE)
# ((clean images, noisy images), labels of the noisy images): the default train_step unpacks (x, y).
consistency_training_ds = consistency_training_ds.map(lambda clean, noisy: ((clean[0], noisy[0]), noisy[1]))
train_clean_ds = train_clean_ds.batch(BATCH_SIZE)


def get_training_model(num_classes=NUM_CLASSES):
    resnet_like = keras.Sequential(
        [
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.BatchNormalization(),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
        ],
        name="backbone",
    )
    model = keras.Sequential(
        [
            layers.Input((CROP_TO, CROP_TO, 3)),
            layers.Rescaling(scale=1.0 / 127.5, offset=-1),
            resnet_like,
            layers.Dense(num_classes),
        ]
    )
    return model


initial_model = get_training_model()
initial_model.save_weights("initial_model.weights.h5")

teacher_model = get_training_model()
teacher_model.load_weights("initial_model.weights.h5")
teacher_model.compile(
    optimizer=keras.optimizers.Adam(),
    loss=keras.losses.CategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
early_stopping = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True, monitor="val_accuracy")
history = teacher_model.fit(
    train_clean_ds, epochs=EPOCHS, validation_data=validation_ds, callbacks=[early_stopping], verbose=0
)
_, acc = teacher_model.evaluate(validation_ds, verbose=0)
print(f"Test accuracy: {acc*100}%")


class SelfEnsembling(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.student = student
        self.teacher = teacher

    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn, temperature=3):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.temperature = temperature

    def call(self, inputs, training=False):
        # Training batches are (clean images, noisy images); evaluation batches are images.
        if isinstance(inputs, (tuple, list)):
            inputs = inputs[1]
        return self.student(inputs, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if not isinstance(x, (tuple, list)):
            # Evaluation: the student's supervised loss only.
            return self.student_loss_fn(y, y_pred)
        clean_images, _ = x
        # Forward pass of teacher
        teacher_predictions = ops.stop_gradient(self.teacher(clean_images, training=False))
        student_loss = self.student_loss_fn(y, y_pred)
        distillation_loss = self.distillation_loss_fn(
            ops.softmax(teacher_predictions / self.temperature, axis=1),
            ops.softmax(y_pred / self.temperature, axis=1),
        )
        return (student_loss + distillation_loss) / 2


# Define the callbacks.
reduce_lr = keras.callbacks.ReduceLROnPlateau(patience=3)
early_stopping = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)

# Initialize SelfEnsembling instance for training. The teacher is frozen: the default train_step
# differentiates the loss with respect to every trainable variable of the model.
teacher_model.trainable = False
self_ensembling = SelfEnsembling(student=get_training_model(), teacher=teacher_model)
self_ensembling.compile(
    optimizer=keras.optimizers.Adam(),
    metrics=["accuracy"],
    student_loss_fn=keras.losses.CategoricalCrossentropy(from_logits=True),
    distillation_loss_fn=keras.losses.KLDivergence(),
    temperature=10,
)

# Train
history = self_ensembling.fit(
    consistency_training_ds,
    epochs=EPOCHS,
    validation_data=validation_ds,
    callbacks=[reduce_lr, early_stopping],
    verbose=0,
)
print("history keys", sorted(history.history))


# Evaluate
results = self_ensembling.evaluate(validation_ds, verbose=0, return_dict=True)
print("Test results from student model:", results)
