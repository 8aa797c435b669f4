"""keras.io "Point cloud classification with PointNet" (tf.keras version) on synthetic point
clouds (sphere / cube / cylinder surfaces) instead of ModelNet10 meshes: an augment function in
tf.data with tf.random.uniform(points.shape, dtype=tf.float64) jitter and tf.random.shuffle,
conv_bn / dense_bn helpers, a T-Net whose Dense layer has a keras.initializers.Constant(np.eye(...)
.flatten()) bias and an OrthogonalRegularizer(keras.regularizers.Regularizer) built on tf.eye,
tf.reshape, tf.tensordot(axes=(2, 2)), tf.reduce_sum as its activity_regularizer, Dot(axes=(2, 1))
feature transforms, then predict on a batch taken from the dataset and tf.math.argmax."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

tf.random.set_seed(1234)

"""
## Load dataset (synthetic shapes)
"""

NUM_POINTS = 64
NUM_CLASSES = 3
BATCH_SIZE = 8

rng = np.random.RandomState(0)


def sample_shape(label):
    if label == 0:  # sphere
        p = rng.normal(size=(NUM_POINTS, 3))
        return p / np.linalg.norm(p, axis=1, keepdims=True)
    if label == 1:  # cube
        p = rng.uniform(-1, 1, size=(NUM_POINTS, 3))
        axis = rng.randint(0, 3, size=NUM_POINTS)
        p[np.arange(NUM_POINTS), axis] = np.sign(p[np.arange(NUM_POINTS), axis])
        return p
    theta = rng.uniform(0, 2 * np.pi, size=NUM_POINTS)  # cylinder
    return np.stack([np.cos(theta), np.sin(theta), rng.uniform(-1, 1, size=NUM_POINTS)], axis=1)


def parse_dataset(num_points=NUM_POINTS):
    train_points, train_labels, test_points, test_labels = [], [], [], []
    class_map = {0: "sphere", 1: "cube", 2: "cylinder"}
    for i in range(NUM_CLASSES):
        print("processing class: {}".format(class_map[i]))
        for _ in range(16):
            train_points.append(sample_shape(i))
            train_labels.append(i)
        for _ in range(4):
            test_points.append(sample_shape(i))
            test_labels.append(i)
    return (
        np.array(train_points),
        np.array(test_points),
        np.array(train_labels),
        np.array(test_labels),
        class_map,
    )


train_points, test_points, train_labels, test_labels, CLASS_MAP = parse_dataset(NUM_POINTS)


def augment(points, label):
    # jitter points
    points += tf.random.uniform(points.shape, -0.005, 0.005, dtype=tf.float64)
    # shuffle points
    points = tf.random.shuffle(points)
    return points, label


train_dataset = tf.data.Dataset.from_tensor_slices((train_points, train_labels))
test_dataset = tf.data.Dataset.from_tensor_slices((test_points, test_labels))

train_dataset = train_dataset.shuffle(len(train_points)).map(augment).batch(BATCH_SIZE)
test_dataset = test_dataset.shuffle(len(test_points)).batch(BATCH_SIZE)

"""
### Build a model
"""


def conv_bn(x, filters):
    x = layers.Conv1D(filters, kernel_size=1, padding="valid")(x)
    x = layers.BatchNormalization(momentum=0.0)(x)
    return layers.Activation("relu")(x)


def dense_bn(x, filters):
    x = layers.Dense(filters)(x)
    x = layers.BatchNormalization(momentum=0.0)(x)
    return layers.Activation("relu")(x)


class OrthogonalRegularizer(keras.regularizers.Regularizer):
    def __init__(self, num_features, l2reg=0.001):
        self.num_features = num_features
        self.l2reg = l2reg
        self.eye = tf.eye(num_features)

    def __call__(self, x):
        x = tf.reshape(x, (-1, self.num_features, self.num_features))
        xxt = tf.tensordot(x, x, axes=(2, 2))
        xxt = tf.reshape(xxt, (-1, self.num_features, self.num_features))
        return tf.reduce_sum(self.l2reg * tf.square(xxt - self.eye))


def tnet(inputs, num_features):

    # Initalise bias as the indentity matrix
    bias = keras.initializers.Constant(np.eye(num_features).flatten())
    reg = OrthogonalRegularizer(num_features)

    x = conv_bn(inputs, 8)
    x = conv_bn(x, 16)
    x = conv_bn(x, 32)
    x = layers.GlobalMaxPooling1D()(x)
    x = dense_bn(x, 16)
    x = dense_bn(x, 8)
    x = layers.Dense(
        num_features * num_features,
        kernel_initializer="zeros",
        bias_initializer=bias,
        activity_regularizer=reg,
    )(x)
    feat_T = layers.Reshape((num_features, num_features))(x)
    # Apply affine transformation to input features
    return layers.Dot(axes=(2, 1))([inputs, feat_T])


inputs = keras.Input(shape=(NUM_POINTS, 3))

x = tnet(inputs, 3)
x = conv_bn(x, 8)
x = conv_bn(x, 8)
x = tnet(x, 8)
x = conv_bn(x, 8)
x = conv_bn(x, 16)
x = conv_bn(x, 32)
x = layers.GlobalMaxPooling1D()(x)
x = dense_bn(x, 16)
x = layers.Dropout(0.3)(x)
x = dense_bn(x, 8)
x = layers.Dropout(0.3)(x)

outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)

model = keras.Model(inputs=inputs, outputs=outputs, name="pointnet")
model.summary()

"""
### Train model
"""

model.compile(
    loss="sparse_categorical_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=0.001),
    metrics=["sparse_categorical_accuracy"],
)

model.fit(train_dataset, epochs=2, validation_data=test_dataset, verbose=2)

"""
## Visualize predictions
"""

data = test_dataset.take(1)

points, labels = list(data)[0]
points = points[:8, ...]
labels = labels[:8, ...]

# run test data through model
preds = model.predict(points)
preds = tf.math.argmax(preds, -1)

points = points.numpy()

# plot points with predicted class and label
for i in range(8):
    print(
        "pred: {:}, label: {:}".format(
            CLASS_MAP[preds[i].numpy()], CLASS_MAP[labels.numpy()[i]]
        ),
        points[i].shape,
    )
