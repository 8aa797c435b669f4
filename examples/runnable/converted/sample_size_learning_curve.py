"""Hand conversion to multi-backend Keras 3. Estimating the sample size a classifier needs (in the style of the tf.keras-era keras.io
"Estimating required sample size for model training" example), on tiny synthetic images:
images resized with tf.image.resize(...).numpy() and labels made with tf.one_hot in a Python
loop, an augmentation Sequential of layers.experimental.preprocessing layers called on the
whole NumPy training array with .numpy(), a MobileNetV2 base (no pretrained weights here) built
on input_tensor= after a preprocessing.Rescaling layer and frozen with model.trainable = False,
a compile-and-train helper with metric and optimizer instances as default arguments, an
EarlyStopping callback on val_auc with restore_best_weights, unfreezing layers by name except
BatchNormalization, and a learning curve fitted with two scalar tf.Variables, a GradientTape
and a keras.losses.MeanSquaredError called on Python lists, extrapolated with .numpy()."""
import numpy as np
import keras
from keras import layers, ops

seed = 42
keras.utils.set_random_seed(seed)

batch_size = 16
image_size = (32, 32)
num_classes = 3
class_names = ["red", "green", "blue"]


def make_raw_images(n):
    """Images of varying sizes whose dominant colour channel is the class."""
    images, labels = [], []
    for _ in range(n):
        label = np.random.randint(num_classes)
        side = np.random.randint(20, 40)
        img = np.random.uniform(0, 120, size=(side, side, 3)).astype("float32")
        img[..., label] += 120.0
        images.append(img)
        labels.append(label)
    return images, labels


def dataset_to_array(dataset, image_size, num_classes):
    images, labels = [], []
    for img, lab in zip(*dataset):
        images.append(ops.convert_to_numpy(ops.image.resize(img, image_size)))
        labels.append(ops.convert_to_numpy(ops.one_hot(lab, num_classes)))
    return np.array(images), np.array(labels)


img_train, label_train = dataset_to_array(make_raw_images(96), image_size, num_classes)
img_test, label_test = dataset_to_array(make_raw_images(24), image_size, num_classes)
num_train_samples = len(img_train)
print(f"Number of training samples: {num_train_samples}")
print("first test label:", np.array(class_names)[label_test[0] == True][0])

image_augmentation = keras.Sequential(
    [
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.1),
        layers.RandomZoom(height_factor=(-0.1, -0)),
        layers.RandomContrast(factor=0.1),
    ],
)
img_train = ops.convert_to_numpy(image_augmentation(img_train, training=True))
print("augmented:", img_train.shape, img_train.dtype)


def build_model(num_classes, img_size=image_size[0], top_dropout=0.3):
    inputs = layers.Input(shape=(img_size, img_size, 3))
    x = layers.Rescaling(scale=1.0 / 127.5, offset=-1)(inputs)
    model = keras.applications.MobileNetV2(
        include_top=False, weights=None, input_tensor=x, alpha=0.35
    )
    model.trainable = False

    x = layers.GlobalAveragePooling2D(name="avg_pool")(model.output)
    x = layers.Dropout(top_dropout)(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    print("Trainable weights:", len(model.trainable_weights))
    print("Non_trainable weights:", len(model.non_trainable_weights))
    return model


def compile_and_train(
    model,
    training_data,
    training_labels,
    metrics=None,
    optimizer=None,
    patience=5,
    epochs=5,
):
    # Fresh metric and optimizer objects per call: a Keras 3 optimizer is built for one set of variables.
    if metrics is None:
        metrics = [keras.metrics.AUC(name="auc"), "acc"]
    if optimizer is None:
        optimizer = keras.optimizers.Adam()
    stopper = keras.callbacks.EarlyStopping(
        monitor="val_auc",
        mode="max",
        min_delta=0,
        patience=patience,
        verbose=1,
        restore_best_weights=True,
    )
    model.compile(loss="categorical_crossentropy", optimizer=optimizer, metrics=metrics)
    history = model.fit(
        x=training_data,
        y=training_labels,
        batch_size=batch_size,
        epochs=epochs,
        validation_split=0.1,
        callbacks=[stopper],
        verbose=2,
    )
    return history


def unfreeze(model, block_name, verbose=0):
    set_trainable = False
    for layer in model.layers:
        if block_name in layer.name:
            set_trainable = True
        if set_trainable and not isinstance(layer, layers.BatchNormalization):
            layer.trainable = True
            if verbose == 1:
                print(layer.name, "trainable")
        else:
            if verbose == 1:
                print(layer.name, "NOT trainable")
    print("Trainable weights:", len(model.trainable_weights))
    print("Non-trainable weights:", len(model.non_trainable_weights))
    return model


def train_model(training_data, training_labels):
    model = build_model(num_classes)
    history = compile_and_train(
        model,
        training_data,
        training_labels,
        metrics=[keras.metrics.AUC(name="auc"), "acc"],
        optimizer=keras.optimizers.Adam(),
        patience=3,
        epochs=2,
    )
    model = unfreeze(model, "block_14")
    fine_tune_epochs = 1
    total_epochs = history.epoch[-1] + fine_tune_epochs
    compile_and_train(
        model,
        training_data,
        training_labels,
        metrics=[keras.metrics.AUC(name="auc"), "acc"],
        optimizer=keras.optimizers.Adam(learning_rate=1e-4),
        patience=5,
        epochs=total_epochs,
    )
    y_pred = model.predict(img_test, verbose=0)
    y_pred_indices = np.argmax(y_pred, axis=1)
    acc = np.sum(np.equal(y_pred_indices, np.argmax(label_test, axis=1))) / len(img_test)
    return np.round(acc, 4)


def train_iteratively(sample_splits=[0.5, 1.0], iter_per_split=1):
    overall_accuracy = []
    sample_sizes = []
    for fraction in sample_splits:
        sample_accuracy = []
        num_samples = int(num_train_samples * fraction)
        for i in range(iter_per_split):
            rand_idx = np.random.randint(num_train_samples, size=num_samples)
            accuracy = train_model(img_train[rand_idx, :], label_train[rand_idx, :])
            print(f"Fraction {fraction}, run {i + 1}: accuracy {accuracy}")
            sample_accuracy.append(accuracy)
        overall_accuracy.append(sample_accuracy)
        sample_sizes.append(num_samples)
    return overall_accuracy, sample_sizes


train_iteratively(sample_splits=[0.5], iter_per_split=1)

# Accuracies recorded for growing subsets (as the keras.io example provides them).
overall_accuracy = [
    [0.82, 0.75, 0.80, 0.84, 0.82],
    [0.86, 0.88, 0.85, 0.89, 0.89],
    [0.89, 0.92, 0.89, 0.91, 0.89],
    [0.89, 0.94, 0.91, 0.87, 0.91],
]
sample_sizes = [165, 330, 825, 1651]
x = sample_sizes
mean_acc = [np.mean(i) for i in overall_accuracy]
error = [np.std(i) for i in overall_accuracy]

mse = keras.losses.MeanSquaredError()


def exp_func(x, a, b):
    return a * x ** b


a = 0.6
b = 0.05
learning_rate = 0.01
training_epochs = 300

# The curve fit is plain gradient descent on two scalars: its gradients are written out in
# NumPy (d/da and d/db of the mean squared error of a * x ** b), the same on every backend.
x_arr = np.asarray(x, dtype="float64")
y_arr = np.asarray(mean_acc, dtype="float64")
for epoch in range(training_epochs):
    y_pred = exp_func(x_arr, a, b)
    residual = y_pred - y_arr
    grad_a = np.mean(2.0 * residual * x_arr ** b)
    grad_b = np.mean(2.0 * residual * a * x_arr ** b * np.log(x_arr))
    a -= grad_a * learning_rate
    b -= grad_b * learning_rate
cost_function = float(ops.convert_to_numpy(mse(np.float32(y_arr), np.float32(exp_func(x_arr, a, b)))))
print(f"Curve fit weights: a = {a} and b = {b} (mse {cost_function:.5f}).")


def predict_accuracy(num_samples):
    return exp_func(float(num_samples), a, b)


max_acc = predict_accuracy(3303)
print(f"A model accuracy of {max_acc} is predicted for 3303 samples.")
x_cont = np.linspace(x[0], 3303, 10)
curve = exp_func(x_cont, a, b)
print("curve points:", np.asarray(curve).shape)

mae = keras.losses.MeanAbsoluteError()
print(f"The mae for the curve fit is {float(ops.convert_to_numpy(mae(np.float32(mean_acc), np.float32(exp_func(x_arr, a, b)))))}.")
assert 0.5 < float(max_acc) < 1.5
