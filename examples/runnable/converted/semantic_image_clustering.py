"""Hand conversion to multi-backend Keras 3 (as the Keras team converted the keras.io example):
`import keras` / `from keras import layers, ops`; the contrastive loss in keras.ops (ops.shape,
ops.normalize, ops.matmul with ops.transpose, ops.max, ops.tile(ops.eye(...))) computed in a
compute_loss() override instead of the tf.GradientTape train_step/test_step (the built-in "loss"
metric replaces the tracker); neighbours with ops.normalize/ops.matmul/ops.top_k; the two Loss
subclasses as call() in keras.ops; the clustering learner with ops.reshape/ops.einsum/ops.expand_dims
and Lambda(ops.squeeze); numpy indexing instead of tf.gather; one target per output in fit(); keras.optimizers.AdamW;
np.argmax/np.max.

Semantic image clustering (SCAN) on tiny synthetic images (in the style of the tf.keras-era
keras.io "Semantic Image Clustering" example): preprocessing and augmentation Sequentials called
inside a model, an encoder from keras.applications (a small MobileNet, weights=None, where the
original used ResNet50V2) with a Dense projection; a RepresentationLearner keras.Model with a contrastive loss written with tf.shape,
tf.math.l2_normalize, tf.linalg.matmul(transpose_b=True), tf.reduce_max, tf.tile(tf.eye(...)) and
keras.losses.categorical_crossentropy(from_logits=True), a custom train_step with tf.GradientTape
and test_step, the loss tracker exposed through a metrics property; nearest neighbours found with
encoder.predict, tf.math.l2_normalize, tf.linalg.matmul and tf.math.top_k in numpy batches;
keras.losses.Loss subclasses (ClustersConsistencyLoss with tf.ones_like and
keras.losses.binary_crossentropy, ClustersEntropyLoss with tf.math.reduce_mean/log/reduce_sum and
tf.cast/tf.shape); a two-input clustering learner built with tf.reshape, tf.linalg.einsum and
tf.expand_dims on KerasTensors and a Lambda(tf.squeeze); and clustering of the data with
tf.math.argmax."""
from collections import defaultdict

import numpy as np
import keras
from keras import layers, ops

"""
## Prepare the data (synthetic CIFAR-10-like images)
"""
num_classes = 4
input_shape = (32, 32, 3)

rng = np.random.default_rng(21)
x_train = rng.integers(0, 255, size=(16, 32, 32, 3)).astype("uint8")
y_train = rng.integers(0, num_classes, size=(16, 1))
x_test = rng.integers(0, 255, size=(8, 32, 32, 3)).astype("uint8")
y_test = rng.integers(0, num_classes, size=(8, 1))
classes = ["airplane", "automobile", "bird", "cat"]

x_data = np.concatenate([x_train, x_test])
y_data = np.concatenate([y_train, y_test])

print("x_data shape:", x_data.shape, "- y_data shape:", y_data.shape)

"""
## Define hyperparameters
"""
target_size = 32  # Resize the input images.
representation_dim = 16  # The dimensions of the features vector.
projection_units = 8  # The projection head of the representation learner.
num_clusters = 6  # Number of clusters.
k_neighbours = 3  # Number of neighbours to consider during cluster learning.
tune_encoder_during_clustering = False  # Freeze the encoder in the cluster learning.

"""
## Implement data preprocessing
"""
data_preprocessing = keras.Sequential(
    [
        layers.Resizing(target_size, target_size),
        layers.Normalization(),
    ]
)
# Compute the mean and the variance from the data for normalization.
data_preprocessing.layers[-1].adapt(x_data)

"""
## Data augmentation
"""
data_augmentation = keras.Sequential(
    [
        layers.RandomTranslation(
            height_factor=(-0.2, 0.2), width_factor=(-0.2, 0.2), fill_mode="nearest"
        ),
        layers.RandomFlip(mode="horizontal"),
        layers.RandomRotation(factor=0.15, fill_mode="nearest"),
        layers.RandomZoom(
            height_factor=(-0.3, 0.1), width_factor=(-0.3, 0.1), fill_mode="nearest"
        ),
    ]
)

"""
## Self-supervised representation learning
### Implement the vision encoder
"""


def create_encoder(representation_dim):
    encoder = keras.Sequential(
        [
            keras.applications.MobileNet(
                alpha=0.25, include_top=False, weights=None, pooling="avg",
                input_shape=(target_size, target_size, 3),
            ),
            layers.Dense(representation_dim),
        ]
    )
    return encoder


"""
### Implement the unsupervised contrastive loss
"""


class RepresentationLearner(keras.Model):
    def __init__(
        self,
        encoder,
        projection_units,
        num_augmentations,
        temperature=1.0,
        dropout_rate=0.1,
        l2_normalize=False,
        **kwargs
    ):
        super(RepresentationLearner, self).__init__(**kwargs)
        self.encoder = encoder
        # Create projection head.
        self.projector = keras.Sequential(
            [
                layers.Dropout(dropout_rate),
                layers.Dense(units=projection_units, use_bias=False),
                layers.BatchNormalization(),
                layers.ReLU(),
            ]
        )
        self.num_augmentations = num_augmentations
        self.temperature = temperature
        self.l2_normalize = l2_normalize

    def compute_contrastive_loss(self, feature_vectors, batch_size):
        num_augmentations = ops.shape(feature_vectors)[0] // batch_size
        if self.l2_normalize:
            feature_vectors = ops.normalize(feature_vectors, axis=-1)
        # The logits shape is [num_augmentations * batch_size, num_augmentations * batch_size].
        logits = (
            ops.matmul(feature_vectors, ops.transpose(feature_vectors))
            / self.temperature
        )
        # Apply log-max trick for numerical stability.
        logits_max = ops.max(logits, axis=1)
        logits = logits - logits_max
        # The shape of targets is [num_augmentations * batch_size, num_augmentations * batch_size].
        # targets is a matrix consits of num_augmentations submatrices of shape [batch_size * batch_size].
        # Each [batch_size * batch_size] submatrix is an identity matrix (diagonal entries are ones).
        targets = ops.tile(ops.eye(batch_size), [num_augmentations, num_augmentations])
        # Compute cross entropy loss
        return keras.losses.categorical_crossentropy(
            y_true=targets, y_pred=logits, from_logits=True
        )

    def call(self, inputs):
        # Preprocess the input images.
        preprocessed = data_preprocessing(inputs)
        # Create augmented versions of the images.
        augmented = []
        for _ in range(self.num_augmentations):
            augmented.append(data_augmentation(preprocessed))
        augmented = ops.concatenate(augmented, axis=0)
        # Generate embedding representations of the images.
        features = self.encoder(augmented)
        # Apply projection head.
        return self.projector(features)

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        # fit() runs the forward pass (self(x, training=...)) and passes y_pred here.
        batch_size = ops.shape(x)[0]
        loss = self.compute_contrastive_loss(y_pred, batch_size)
        return ops.mean(loss)


"""
### Train the model
"""
# Create vision encoder.
encoder = create_encoder(representation_dim)
# Create representation learner.
representation_learner = RepresentationLearner(
    encoder, projection_units, num_augmentations=2, temperature=0.1
)
# Create a a Cosine decay learning rescheduler.
lr_scheduler = keras.optimizers.schedules.CosineDecay(
    initial_learning_rate=0.001, decay_steps=50, alpha=0.1
)
# Compile the model.
representation_learner.compile(
    optimizer=keras.optimizers.AdamW(
        learning_rate=lr_scheduler, weight_decay=0.0001
    ),
)
# Fit the model.
history = representation_learner.fit(
    x=x_data,
    batch_size=8,
    epochs=1,
    verbose=2,
)

"""
## Compute the nearest neighbours
### Generate the embeddings for the images
"""
batch_size = 8
# Get the feature vector representations of the images.
feature_vectors = encoder.predict(x_data, batch_size=batch_size, verbose=0)
# Normalize the feature vectores.
feature_vectors = ops.normalize(feature_vectors, axis=-1)

"""
### Find the *k* nearest neighbours for each embedding
"""
neighbours = []
num_batches = feature_vectors.shape[0] // batch_size
for batch_idx in range(num_batches):
    start_idx = batch_idx * batch_size
    end_idx = start_idx + batch_size
    current_batch = feature_vectors[start_idx:end_idx]
    # Compute the dot similarity.
    similarities = ops.matmul(current_batch, ops.transpose(feature_vectors))
    # Get the indices of most similar vectors.
    _, indices = ops.top_k(similarities, k=k_neighbours + 1, sorted=True)
    # Add the indices to the neighbours.
    neighbours.append(ops.convert_to_numpy(indices[..., 1:]))

neighbours = np.reshape(np.array(neighbours), (-1, k_neighbours))

"""
## Semantic clustering with nearest neighbours
### Implement clustering consistency loss
"""


class ClustersConsistencyLoss(keras.losses.Loss):
    def __init__(self):
        super(ClustersConsistencyLoss, self).__init__()

    def call(self, target, similarity):
        # Set targets to be ones.
        target = ops.ones_like(similarity)
        # Compute cross entropy loss.
        loss = keras.losses.binary_crossentropy(
            y_true=target, y_pred=similarity, from_logits=True
        )
        return ops.mean(loss)


"""
### Implement the clusters entropy loss
"""


class ClustersEntropyLoss(keras.losses.Loss):
    def __init__(self, entropy_loss_weight=1.0):
        super(ClustersEntropyLoss, self).__init__()
        self.entropy_loss_weight = entropy_loss_weight

    def call(self, target, cluster_probabilities):
        # Ideal entropy = log(num_clusters).
        num_clusters = ops.cast(ops.shape(cluster_probabilities)[-1], "float32")
        target = ops.log(num_clusters)
        # Compute the overall clusters distribution.
        cluster_probabilities = ops.mean(cluster_probabilities, axis=0)
        # Replacing zero probabilities - if any - with a very small value.
        cluster_probabilities = ops.clip(cluster_probabilities, 1e-8, 1.0)
        # Compute the entropy over the clusters.
        entropy = -ops.sum(cluster_probabilities * ops.log(cluster_probabilities))
        # Compute the difference between the target and the actual.
        loss = target - entropy
        return loss


"""
### Implement clustering model
"""


def create_clustering_model(encoder, num_clusters, name=None):
    inputs = keras.Input(shape=input_shape)
    # Preprocess the input images.
    preprocessed = data_preprocessing(inputs)
    # Apply data augmentation to the images.
    augmented = data_augmentation(preprocessed)
    # Generate embedding representations of the images.
    features = encoder(augmented)
    # Assign the images to clusters.
    outputs = layers.Dense(units=num_clusters, activation="softmax")(features)
    # Create the model.
    model = keras.Model(inputs=inputs, outputs=outputs, name=name)
    return model


"""
### Implement clustering learner
"""


def create_clustering_learner(clustering_model):
    anchor = keras.Input(shape=input_shape, name="anchors")
    neighbours = keras.Input(
        shape=tuple([k_neighbours]) + input_shape, name="neighbours"
    )
    # Changes neighbours shape to [batch_size * k_neighbours, width, height, channels]
    neighbours_reshaped = ops.reshape(neighbours, tuple([-1]) + input_shape)
    # anchor_clustering shape: [batch_size, num_clusters]
    anchor_clustering = clustering_model(anchor)
    # neighbours_clustering shape: [batch_size * k_neighbours, num_clusters]
    neighbours_clustering = clustering_model(neighbours_reshaped)
    # Convert neighbours_clustering shape to [batch_size, k_neighbours, num_clusters]
    neighbours_clustering = ops.reshape(
        neighbours_clustering, (-1, k_neighbours, neighbours_clustering.shape[-1])
    )
    # similarity shape: [batch_size, 1, k_neighbours]
    similarity = ops.einsum(
        "bij,bkj->bik", ops.expand_dims(anchor_clustering, axis=1), neighbours_clustering
    )
    # similarity shape:  [batch_size, k_neighbours]
    similarity = layers.Lambda(lambda x: ops.squeeze(x, axis=1), name="similarity")(
        similarity
    )
    # Create the model.
    model = keras.Model(
        inputs=[anchor, neighbours],
        outputs=[similarity, anchor_clustering],
        name="clustering_learner",
    )
    return model


"""
### Train model
"""
# If tune_encoder_during_clustering is set to False,
# then freeze the encoder weights.
for layer in encoder.layers:
    layer.trainable = tune_encoder_during_clustering
# Create the clustering model and learner.
clustering_model = create_clustering_model(encoder, num_clusters, name="clustering")
clustering_learner = create_clustering_learner(clustering_model)
# Instantiate the model losses.
losses = [ClustersConsistencyLoss(), ClustersEntropyLoss(entropy_loss_weight=5)]
# Create the model inputs and labels.
inputs = {"anchors": x_data, "neighbours": x_data[neighbours]}
# Keras 3 does not reuse one target for both outputs: one (unused) target per output.
labels = [np.ones(shape=(x_data.shape[0])), np.ones(shape=(x_data.shape[0]))]
# Compile the model.
clustering_learner.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=0.0005, weight_decay=0.0001),
    loss=losses,
)

# Begin training the model.
clustering_learner.fit(x=inputs, y=labels, batch_size=8, epochs=1, verbose=2)

"""
## Cluster analysis
"""
# Get the cluster probability distribution of the input images.
clustering_probs = clustering_model.predict(x_data, batch_size=batch_size, verbose=0)
# Get the cluster of the highest probability.
cluster_assignments = np.argmax(clustering_probs, axis=-1)
# Store the clustering confidence.
# Images with the highest clustering confidence are considered the 'prototypes'
# of the clusters.
cluster_confidence = np.max(clustering_probs, axis=-1)

clusters = defaultdict(list)
for idx, c in enumerate(cluster_assignments):
    clusters[c].append((idx, cluster_confidence[idx]))

for c in range(num_clusters):
    print("cluster", c, ":", len(clusters[c]))

cluster_label_counts = dict()
for c in range(num_clusters):
    cluster_label_counts[c] = [0] * num_classes
    instances = clusters[c]
    for i, _ in instances:
        cluster_label_counts[c][y_data[i][0]] += 1

assert sum(len(v) for v in clusters.values()) == len(x_data)
print("semantic clustering ok")
