"""Consistency training with supervision (after the keras.io example "Consistency training with
supervision", tf.keras era): a teacher trained with fit(), then a student trained by a
SelfEnsembling model on noisy (augmented) images, with a KL distillation loss against the
teacher's softened predictions on the clean images."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

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
            layers.experimental.preprocessing.Rescaling(scale=1.0 / 127.5, offset=-1),
            resnet_like,
            layers.Dense(num_classes),
        ]
    )
    return model


initial_model = get_training_model()
initial_model.save_weights("initial_model.h5")

teacher_model = get_training_model()
teacher_model.load_weights("initial_model.h5")
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


class SelfEnsembling(tf.keras.Model):
    def __init__(self, student, teacher):
        super(SelfEnsembling, self).__init__()
        self.student = student
        self.teacher = teacher

    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn, temperature=3):
        super(SelfEnsembling, self).compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.temperature = temperature

    def train_step(self, data):
        # Since our dataset is a zip of two independent datasets,
        # after initially parsing them, we segregate the
        # respective images and labels next.
        clean_ds, noisy_ds = data
        clean_images, _ = clean_ds
        noisy_images, y = noisy_ds

        # Forward pass of teacher
        teacher_predictions = self.teacher(clean_images, training=False)

        with tf.GradientTape() as tape:
            # Forward pass of student
            student_predictions = self.student(noisy_images, training=True)

            # Compute losses
            student_loss = self.student_loss_fn(y, student_predictions)
            distillation_loss = self.distillation_loss_fn(
                tf.nn.softmax(teacher_predictions / self.temperature, axis=1),
                tf.nn.softmax(student_predictions / self.temperature, axis=1),
            )
            total_loss = (student_loss + distillation_loss) / 2

        # Compute gradients
        trainable_vars = self.student.trainable_variables
        gradients = tape.gradient(total_loss, trainable_vars)

        # Update weights
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))

        # Update the metrics configured in `compile()`
        self.compiled_metrics.update_state(y, tf.nn.softmax(student_predictions, axis=1))

        # Return a dict of performance
        results = {m.name: m.result() for m in self.metrics}
        results.update({"total_loss": total_loss})
        return results

    def test_step(self, data):
        # During inference, we only pass a dataset consisting images and labels.
        x, y = data

        # Compute predictions
        y_prediction = self.student(x, training=False)

        # Update the metrics
        self.compiled_metrics.update_state(y, tf.nn.softmax(y_prediction, axis=1))

        # Return a dict of performance
        results = {m.name: m.result() for m in self.metrics}
        return results


# Define the callbacks.
reduce_lr = keras.callbacks.ReduceLROnPlateau(patience=3)
early_stopping = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)

# Initialize SelfEnsembling instance for training.
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
