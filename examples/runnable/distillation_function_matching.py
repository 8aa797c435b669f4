"""Knowledge distillation recipes (in the style of the keras.io "function matching" example, TF 2
era): a teacher saved to .h5 and reloaded frozen with keras.models.load_model; tf.data mixup with
Beta samples drawn from tf.random.gamma; a WarmUpCosine LearningRateSchedule subclass with tf.cast,
tf.cos, tf.where and np.pi; a Distiller keras.Model with its own compile(student_loss_fn=,
distillation_loss_fn=, temperature=), a train_step under tf.GradientTape with the teacher outside
the tape (tf.nn.softmax with a temperature, KLDivergence), self.compiled_metrics.update_state,
{m.name: m.result() for m in self.metrics}, and a test_step on the student alone; then the student
is evaluated and its predictions read with .numpy()."""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

BATCH_SIZE = 16
NUM_CLASSES = 4
TEMPERATURE = 10
INIT_LR = 0.003
WARMUP_STEPS = 2
TOTAL_STEPS = 12
AUTO = tf.data.AUTOTUNE

rng = np.random.default_rng(11)
x_all = rng.uniform(size=(128, 12, 12, 3)).astype("float32")
y_all = (x_all[..., 0].mean(axis=(1, 2)) * 25).astype("int64") % NUM_CLASSES
x_train, y_train = x_all[:96], y_all[:96]
x_test, y_test = x_all[96:], y_all[96:]


def get_teacher():
    inputs = keras.Input(shape=(12, 12, 3))
    x = layers.Conv2D(16, 3, activation="relu")(inputs)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(NUM_CLASSES)(x)
    return keras.Model(inputs, outputs, name="teacher")


teacher = get_teacher()
teacher.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
teacher.fit(x_train, y_train, epochs=1, batch_size=BATCH_SIZE, verbose=2)
teacher_path = os.path.join(tempfile.mkdtemp(), "teacher_model.h5")
teacher.save(teacher_path)

teacher_model = keras.models.load_model(teacher_path)
teacher_model.trainable = False


def sample_beta_distribution(size, concentration_0=0.2, concentration_1=0.2):
    gamma_1_sample = tf.random.gamma(shape=[size], alpha=concentration_1)
    gamma_2_sample = tf.random.gamma(shape=[size], alpha=concentration_0)
    return gamma_1_sample / (gamma_1_sample + gamma_2_sample)


def mix_up(ds_one, ds_two, alpha=0.2):
    # Unpack two datasets
    images_one, labels_one = ds_one
    images_two, labels_two = ds_two
    batch_size = tf.shape(images_one)[0]

    # Sample lambda and reshape it to do the mixup
    l = sample_beta_distribution(batch_size, alpha, alpha)
    x_l = tf.reshape(l, (batch_size, 1, 1, 1))

    # Perform mixup on both images and labels by combining a pair of images/labels
    # (one from each dataset) into one image/label
    images = images_one * x_l + images_two * (1 - x_l)
    labels = labels_one
    return (images, labels)


train_ds_one = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(96).batch(BATCH_SIZE)
train_ds_two = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(96).batch(BATCH_SIZE)
train_ds = tf.data.Dataset.zip((train_ds_one, train_ds_two))
train_ds_mu = train_ds.map(lambda ds_one, ds_two: mix_up(ds_one, ds_two, alpha=0.2), num_parallel_calls=AUTO)
test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(BATCH_SIZE).prefetch(AUTO)


class Distiller(tf.keras.Model):
    def __init__(self, student, teacher):
        super(Distiller, self).__init__()
        self.student = student
        self.teacher = teacher
        self.loss_tracker = keras.metrics.Mean(name="distillation_loss")

    @property
    def metrics(self):
        metrics = super().metrics
        metrics.append(self.loss_tracker)
        return metrics

    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn, temperature=TEMPERATURE):
        super(Distiller, self).compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.temperature = temperature

    def train_step(self, data):
        # Unpack data
        x, _ = data

        # Forward pass of teacher
        teacher_predictions = self.teacher(x, training=False)

        with tf.GradientTape() as tape:
            # Forward pass of student
            student_predictions = self.student(x, training=True)

            # Compute loss
            distillation_loss = self.distillation_loss_fn(
                tf.nn.softmax(teacher_predictions / self.temperature, axis=1),
                tf.nn.softmax(student_predictions / self.temperature, axis=1),
            )

        # Compute gradients
        trainable_vars = self.student.trainable_variables
        gradients = tape.gradient(distillation_loss, trainable_vars)

        # Update weights
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))

        # Report progress
        self.loss_tracker.update_state(distillation_loss)
        return {"distillation_loss": self.loss_tracker.result()}

    def test_step(self, data):
        # Unpack data
        x, y = data

        # Forward passes
        teacher_predictions = self.teacher(x, training=False)
        student_predictions = self.student(x, training=False)

        # Calculate the loss
        distillation_loss = self.distillation_loss_fn(
            tf.nn.softmax(teacher_predictions / self.temperature, axis=1),
            tf.nn.softmax(student_predictions / self.temperature, axis=1),
        )

        # Report progress
        self.loss_tracker.update_state(distillation_loss)
        self.compiled_metrics.update_state(y, student_predictions)
        results = {m.name: m.result() for m in self.metrics}
        return results


class WarmUpCosine(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, learning_rate_base, total_steps, warmup_learning_rate, warmup_steps):
        super(WarmUpCosine, self).__init__()

        self.learning_rate_base = learning_rate_base
        self.total_steps = total_steps
        self.warmup_learning_rate = warmup_learning_rate
        self.warmup_steps = warmup_steps
        self.pi = tf.constant(np.pi)

    def __call__(self, step):
        if self.total_steps < self.warmup_steps:
            raise ValueError("Total_steps must be larger or equal to warmup_steps.")

        cos_annealed_lr = tf.cos(
            self.pi
            * (tf.cast(step, tf.float32) - self.warmup_steps)
            / float(self.total_steps - self.warmup_steps)
        )
        learning_rate = 0.5 * self.learning_rate_base * (1 + cos_annealed_lr)

        if self.warmup_steps > 0:
            if self.learning_rate_base < self.warmup_learning_rate:
                raise ValueError("Learning_rate_base must be larger or equal to warmup_learning_rate.")
            slope = (self.learning_rate_base - self.warmup_learning_rate) / self.warmup_steps
            warmup_rate = slope * tf.cast(step, tf.float32) + self.warmup_learning_rate
            learning_rate = tf.where(step < self.warmup_steps, warmup_rate, learning_rate)
        return tf.where(step > self.total_steps, 0.0, learning_rate, name="learning_rate")


def get_resnetv2():
    inputs = keras.Input(shape=(12, 12, 3))
    x = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(NUM_CLASSES)(x)
    return keras.Model(inputs, outputs, name="student")


scheduled_lrs = WarmUpCosine(
    learning_rate_base=INIT_LR,
    total_steps=TOTAL_STEPS,
    warmup_learning_rate=0.0,
    warmup_steps=WARMUP_STEPS,
)

optimizer = keras.optimizers.Adam(scheduled_lrs)
student_model = get_resnetv2()

distiller = Distiller(student=student_model, teacher=teacher_model)
distiller.compile(
    optimizer,
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
    distillation_loss_fn=keras.losses.KLDivergence(),
    student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    temperature=TEMPERATURE,
)

history = distiller.fit(train_ds_mu, validation_data=test_ds, epochs=2, verbose=2)

results = distiller.evaluate(test_ds, verbose=0, return_dict=True)
top1_accuracy = results["sparse_categorical_accuracy"]
print(f"Top-1 accuracy on the test set: {round(top1_accuracy * 100, 2)}%")

# The student alone, as deployed.
logits = distiller.student(x_test[:4], training=False)
predicted = tf.argmax(logits, axis=-1).numpy()
assert predicted.shape == (4,)
print("function matching distillation ok")
