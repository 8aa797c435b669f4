"""Estimating the training-set size needed for a target accuracy: transfer learning + a fitted learning curve.

In the style of the tf.keras-era keras.io recipe "Estimating required sample size for model
training": images and one-hot labels turned into NumPy arrays (tf.image.resize(...).numpy(),
tf.one_hot) from a tf.data dataset; an augmentation Sequential (RandomFlip / RandomRotation /
RandomZoom / RandomContrast) called directly on the whole training array and read back with
.numpy(); a MobileNetV2 built with include_top=False on an input_tensor that is a Rescaling
output, frozen with model.trainable = False, a new top on model.output; a compile_and_train helper
with metric and optimizer default arguments, EarlyStopping(monitor="val_auc", mode="max",
restore_best_weights=True) and validation_split; an unfreeze helper setting layer.trainable by
layer name except BatchNormalization; `_, _, acc = model.evaluate(...)` and np.round;
history.epoch[-1]; a learning curve a * x**b fitted to Python lists with tf.Variable parameters, a
GradientTape around keras.losses.MeanSquaredError, assign_sub updates and .numpy() reads, and a
keras.losses.MeanAbsoluteError of the fit. Shrunk: synthetic images, MobileNetV2(alpha=0.35,
weights=None) on 32x32 (the recipe loads ImageNet weights at 224x224), a few epochs.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

seed = 42
tf.random.set_seed(seed)
np.random.seed(seed)
AUTO = tf.data.AUTOTUNE

batch_size = 8
image_size = (32, 32)
num_classes = 5
class_names = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]

rng = np.random.RandomState(seed)
raw_images = rng.randint(0, 256, size=(100, 40, 40, 3)).astype("uint8")
raw_labels = rng.randint(0, num_classes, size=(100,))
train_data = tf.data.Dataset.from_tensor_slices((raw_images[:80], raw_labels[:80]))
test_data = tf.data.Dataset.from_tensor_slices((raw_images[80:], raw_labels[80:]))


def dataset_to_array(dataset, image_size, num_classes):
    images, labels = [], []
    for img, lab in dataset.as_numpy_iterator():
        images.append(tf.image.resize(img, image_size).numpy())
        labels.append(tf.one_hot(lab, num_classes))
    return np.array(images), np.array(labels)


img_train, label_train = dataset_to_array(train_data, image_size, num_classes)
img_test, label_test = dataset_to_array(test_data, image_size, num_classes)
num_train_samples = len(img_train)
print(f"Number of training samples: {num_train_samples}")
print("First test label:", np.array(class_names)[label_test[0] == True][0])

image_augmentation = keras.Sequential(
    [
        layers.RandomFlip(mode="horizontal"),
        layers.RandomRotation(factor=0.1),
        layers.RandomZoom(height_factor=(-0.1, -0)),
        layers.RandomContrast(factor=0.1),
    ],
)

img_train = image_augmentation(img_train).numpy()
assert img_train.shape == (80, 32, 32, 3), img_train.shape


def build_model(num_classes, img_size=image_size[0], top_dropout=0.3):
    """A classifier on a frozen MobileNetV2 base."""
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
    metrics=[keras.metrics.AUC(name="auc"), "acc"],
    optimizer=keras.optimizers.Adam(),
    patience=5,
    epochs=5,
):
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
    """Makes every layer from block_name on trainable, except BatchNormalization layers."""
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
        patience=1,
        epochs=2,
    )
    model = unfreeze(model, "block_10")
    fine_tune_epochs = 1
    total_epochs = history.epoch[-1] + fine_tune_epochs
    compile_and_train(
        model,
        training_data,
        training_labels,
        metrics=[keras.metrics.AUC(name="auc"), "acc"],
        optimizer=keras.optimizers.Adam(learning_rate=1e-4),
        patience=1,
        epochs=total_epochs,
    )
    _, _, acc = model.evaluate(img_test, label_test, verbose=0)
    return np.round(acc, 4)


# Accuracies of earlier runs over growing subsamples (the recipe's precomputed values).
train_acc = [
    [0.8202, 0.7466, 0.8011, 0.8447, 0.8229],
    [0.861, 0.8774, 0.8501, 0.8937, 0.891],
    [0.891, 0.9237, 0.8856, 0.9101, 0.891],
    [0.8937, 0.9373, 0.9128, 0.8719, 0.9128],
]
sample_sizes = [165, 330, 825, 1651]


def fit_and_predict(train_acc, sample_sizes, pred_sample_size):
    """Fits a * x**b to the mean accuracies and extrapolates to pred_sample_size."""
    x = sample_sizes
    mean_acc = [np.mean(i) for i in train_acc]
    error = [np.std(i) for i in train_acc]

    mse = keras.losses.MeanSquaredError()

    def exp_func(x, a, b):
        return a * x**b

    a = tf.Variable(0.0)
    b = tf.Variable(0.0)
    learning_rate = 0.01
    training_epochs = 300

    for epoch in range(training_epochs):
        with tf.GradientTape() as tape:
            y_pred = exp_func(x, a, b)
            cost_function = mse(y_pred, mean_acc)
        gradients = tape.gradient(cost_function, [a, b])
        a.assign_sub(gradients[0] * learning_rate)
        b.assign_sub(gradients[1] * learning_rate)
    print(f"Curve fit weights: a = {a.numpy()} and b = {b.numpy()}.")

    max_acc = exp_func(pred_sample_size, a, b).numpy()
    print(f"A model accuracy of {max_acc} is predicted for {pred_sample_size} samples.")
    print("error bars:", np.round(error, 3))

    mae = keras.losses.MeanAbsoluteError()
    fit_error = mae(mean_acc, exp_func(x, a, b)).numpy()
    print(f"The mae for the curve fit is {fit_error}.")
    assert 0.0 < max_acc < 2.0 and fit_error < 1.0, (max_acc, fit_error)


fit_and_predict(train_acc, sample_sizes, pred_sample_size=3303)

accuracy = train_model(img_train, label_train)
print(f"A model accuracy of {accuracy} is reached on {num_train_samples} images!")
