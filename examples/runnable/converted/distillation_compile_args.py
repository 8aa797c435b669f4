"""Knowledge distillation (in the style of the keras.io example): a teacher trains first, then a
Distiller model with its own compile() arguments trains a smaller student in train_step and
evaluates it in test_step, updating the compiled metrics by hand.

Keras 3 conversion: the loss of train_step moves into compute_loss and call() returns the student's
logits, so fit() and evaluate() run the backend's own steps (and update the compiled metrics) on
TensorFlow, JAX and PyTorch; LeakyReLU(alpha=) is spelled negative_slope=."""
import numpy as np
import keras
from keras import layers, ops

num_classes = 5
rng = np.random.default_rng(3)
x_train = rng.normal(size=(192, 12, 12, 1)).astype("float32")
y_train = (x_train.mean(axis=(1, 2, 3)) * 40).astype("int64") % num_classes
x_test, y_test = x_train[:64], y_train[:64]


def make_classifier(width, name):
    return keras.Sequential(
        [
            keras.Input(shape=(12, 12, 1)),
            layers.Conv2D(width, 3, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Flatten(),
            layers.Dense(num_classes),
        ],
        name=name,
    )


class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.teacher = teacher
        self.student = student
        # train_step only applied gradients to the student: keep the teacher out of fit()'s updates.
        self.teacher.trainable = False

    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn, alpha=0.1, temperature=3):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.alpha = alpha
        self.temperature = temperature

    def call(self, x):
        return self.student(x)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        teacher_logits = self.teacher(x, training=False)
        student_loss = self.student_loss_fn(y, y_pred)
        soft_teacher = ops.softmax(teacher_logits / self.temperature, axis=1)
        soft_student = ops.softmax(y_pred / self.temperature, axis=1)
        distillation_loss = self.distillation_loss_fn(soft_teacher, soft_student) * self.temperature**2
        return self.alpha * student_loss + (1 - self.alpha) * distillation_loss


teacher = make_classifier(16, "teacher")
student = make_classifier(4, "student")
teacher.compile(
    optimizer=keras.optimizers.Adam(),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
teacher.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)

distiller = Distiller(student=student, teacher=teacher)
distiller.compile(
    optimizer=keras.optimizers.Adam(),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
    student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    distillation_loss_fn=keras.losses.KLDivergence(),
    alpha=0.1,
    temperature=10,
)
history = distiller.fit(x_train, y_train, epochs=2, batch_size=32, verbose=0)
print("distiller:", {k: float(v[-1]) for k, v in history.history.items()})
scores = distiller.evaluate(x_test, y_test, verbose=0)
print("student evaluation:", scores)
predictions = student.predict(x_test[:4], verbose=0)
assert predictions.shape == (4, num_classes)
