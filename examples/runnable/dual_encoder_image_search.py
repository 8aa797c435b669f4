"""keras.io "Natural language image search with a Dual Encoder", tf.keras era, shrunk: a vision
tower (xception.preprocess_input on the Input, a small CNN standing in for Xception) and a text tower
(token ids standing in for the TF Hub BERT), each followed by a projection head of Dense / tf.nn.gelu /
Dropout / Add / LayerNormalization; a DualEncoder(keras.Model) whose own compute_loss(caption_embeddings,
image_embeddings) builds a symmetric cross-entropy over a tf.matmul(transpose_b=True) similarity matrix
with softmax targets, a GradientTape train_step and a test_step on dict features, a loss_tracker metrics
property; AdamW, ReduceLROnPlateau and EarlyStopping; encoders saved with model.save(dir) (SavedModel);
then image embeddings by predict on a tf.data pipeline and retrieval with tf.math.l2_normalize, tf.matmul and
tf.math.top_k(...).indices.numpy()."""
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.default_rng(3)
num_pairs, vocab_size, seq_len = 64, 50, 8
images = rng.uniform(0, 255, size=(num_pairs, 24, 24, 3)).astype("float32")
captions = rng.integers(1, vocab_size, size=(num_pairs, seq_len)).astype("int32")
captions[:, 0] = (images[:, :12].mean(axis=(1, 2, 3)) > 127).astype("int32") + 1
image_paths = [f"image_{n}.jpg" for n in range(num_pairs)]

batch_size = 16
train_dataset = tf.data.Dataset.from_tensor_slices({"caption": captions[:48], "image": images[:48]}).batch(batch_size)
valid_dataset = tf.data.Dataset.from_tensor_slices({"caption": captions[48:], "image": images[48:]}).batch(batch_size)


def project_embeddings(embeddings, num_projection_layers, projection_dims, dropout_rate):
    projected_embeddings = layers.Dense(units=projection_dims)(embeddings)
    for _ in range(num_projection_layers):
        x = tf.nn.gelu(projected_embeddings)
        x = layers.Dense(projection_dims)(x)
        x = layers.Dropout(dropout_rate)(x)
        x = layers.Add()([projected_embeddings, x])
        projected_embeddings = layers.LayerNormalization()(x)
    return projected_embeddings


def create_vision_encoder(num_projection_layers, projection_dims, dropout_rate, trainable=False):
    # A small CNN stands in for keras.applications.Xception(include_top=False, weights="imagenet").
    backbone = keras.Sequential(
        [layers.Conv2D(8, 3, strides=2, activation="relu"), layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D()],
        name="xception",
    )
    for layer in backbone.layers:
        layer.trainable = trainable
    inputs = layers.Input(shape=(24, 24, 3), name="image_input")
    xception_input = tf.keras.applications.xception.preprocess_input(inputs)
    embeddings = backbone(xception_input)
    outputs = project_embeddings(embeddings, num_projection_layers, projection_dims, dropout_rate)
    return keras.Model(inputs, outputs, name="vision_encoder")


def create_text_encoder(num_projection_layers, projection_dims, dropout_rate, trainable=False):
    # Token ids, an Embedding and average pooling stand in for the TF Hub BERT preprocess + encoder.
    inputs = layers.Input(shape=(seq_len,), dtype=tf.int32, name="text_input")
    embeddings = layers.Embedding(vocab_size, 16, trainable=trainable, name="bert")(inputs)
    embeddings = layers.GlobalAveragePooling1D()(embeddings)
    outputs = project_embeddings(embeddings, num_projection_layers, projection_dims, dropout_rate)
    return keras.Model(inputs, outputs, name="text_encoder")


class DualEncoder(keras.Model):
    def __init__(self, text_encoder, image_encoder, temperature=1.0, **kwargs):
        super().__init__(**kwargs)
        self.text_encoder = text_encoder
        self.image_encoder = image_encoder
        self.temperature = temperature
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, features, training=False):
        # Place each encoder on a separate GPU (if available).
        # TF will fallback on available devices if there are fewer than 2 GPUs.
        with tf.device("/gpu:0"):
            # Get the embeddings for the captions.
            caption_embeddings = text_encoder(features["caption"], training=training)
        with tf.device("/gpu:1"):
            # Get the embeddings for the images.
            image_embeddings = vision_encoder(features["image"], training=training)
        return caption_embeddings, image_embeddings

    def compute_loss(self, caption_embeddings, image_embeddings):
        # logits[i][j] is the dot_similarity(caption_i, image_j).
        logits = tf.matmul(caption_embeddings, image_embeddings, transpose_b=True) / self.temperature
        # images_similarity[i][j] is the dot_similarity(image_i, image_j).
        images_similarity = tf.matmul(image_embeddings, image_embeddings, transpose_b=True)
        # captions_similarity[i][j] is the dot_similarity(caption_i, caption_j).
        captions_similarity = tf.matmul(caption_embeddings, caption_embeddings, transpose_b=True)
        # targets[i][j] = avarage dot_similarity(caption_i, caption_j) and dot_similarity(image_i, image_j).
        targets = keras.activations.softmax((captions_similarity + images_similarity) / (2 * self.temperature))
        # Compute the loss for the captions using crossentropy
        captions_loss = keras.losses.categorical_crossentropy(y_true=targets, y_pred=logits, from_logits=True)
        # Compute the loss for the images using crossentropy
        images_loss = keras.losses.categorical_crossentropy(
            y_true=tf.transpose(targets), y_pred=tf.transpose(logits), from_logits=True
        )
        # Return the mean of the loss over the batch.
        return (captions_loss + images_loss) / 2

    def train_step(self, features):
        with tf.GradientTape() as tape:
            # Forward pass
            caption_embeddings, image_embeddings = self(features, training=True)
            loss = self.compute_loss(caption_embeddings, image_embeddings)
        # Backward pass
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        # Monitor loss
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, features):
        caption_embeddings, image_embeddings = self(features, training=False)
        loss = self.compute_loss(caption_embeddings, image_embeddings)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


num_epochs = 2
vision_encoder = create_vision_encoder(num_projection_layers=1, projection_dims=32, dropout_rate=0.1, trainable=True)
text_encoder = create_text_encoder(num_projection_layers=1, projection_dims=32, dropout_rate=0.1, trainable=True)
dual_encoder = DualEncoder(text_encoder, vision_encoder, temperature=0.05)
dual_encoder.compile(optimizer=tf.keras.optimizers.experimental.AdamW(learning_rate=0.001, weight_decay=0.001))

# Create a learning rate scheduler callback.
reduce_lr = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=3)
# Create an early stopping callback.
early_stopping = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
history = dual_encoder.fit(
    train_dataset, epochs=num_epochs, validation_data=valid_dataset, callbacks=[reduce_lr, early_stopping]
)
print("Training completed. Saving vision and text encoders...")
save_dir = tempfile.mkdtemp()
vision_encoder.save(os.path.join(save_dir, "vision_encoder"))
text_encoder.save(os.path.join(save_dir, "text_encoder"))
print("Models are saved.")


def read_image(image):
    return tf.image.resize(image, (24, 24))


print(f"Generating embeddings for {len(image_paths)} images...")
image_embeddings = vision_encoder.predict(
    tf.data.Dataset.from_tensor_slices(images).map(read_image).batch(batch_size), verbose=1
)
print(f"Image embeddings shape: {image_embeddings.shape}.")


def find_matches(image_embeddings, queries, k=9, normalize=True):
    # Get the embedding for the query.
    query_embedding = text_encoder(tf.convert_to_tensor(queries))
    # Normalize the query and the image embeddings.
    if normalize:
        image_embeddings = tf.math.l2_normalize(image_embeddings, axis=1)
        query_embedding = tf.math.l2_normalize(query_embedding, axis=1)
    # Compute the dot product between the query and the image embeddings.
    dot_similarity = tf.matmul(query_embedding, image_embeddings, transpose_b=True)
    # Retrieve top k indices.
    results = tf.math.top_k(dot_similarity, k).indices.numpy()
    # Return matching image paths.
    return [[image_paths[idx] for idx in indices] for indices in results]


query = captions[:1]
matches = find_matches(image_embeddings, query, normalize=True)[0]
print(history.history["loss"], matches[:3])
