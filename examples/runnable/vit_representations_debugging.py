"""keras.io "Keras debugging tips" + "Investigating Vision Transformer representations", tf.keras era,
shrunk: an Antirectifier layer (build/add_weight, tf.nn.relu, tf.concat, tf.matmul) with
tf.debugging.assert_rank / assert_equal and tf.print; a ViT-lite whose class-token layer uses tf.tile /
tf.concat on a weight and whose TransformerBlock layer returns (outputs, attention scores) from
MultiHeadAttention(return_attention_scores=True); a MyModel(keras.Model) subclass built functionally whose
train_step prints gradient statistics (tf.reduce_max / tf.reduce_min / tf.reduce_mean, eager mode) and uses compiled_loss / compiled_metrics, compiled with run_eagerly=True; then a feature
extractor keras.Model(model.input, [layer.output ...]) over intermediate layers (tuple outputs indexed),
attention rollout (tf.stack, tf.reduce_mean, tf.eye, .numpy(), np.matmul) and mean attention distance with
tf.einsum, and the patch-projection filters read with get_weights()."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

image_size, patch_size, num_classes = 16, 4, 3
num_patches = (image_size // patch_size) ** 2
projection_dim, num_heads, num_blocks = 16, 2, 2


class MyAntirectifier(layers.Layer):
    def build(self, input_shape):
        output_dim = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(output_dim * 2, output_dim), initializer="he_normal", name="kernel", trainable=True
        )

    def call(self, inputs):
        tf.debugging.assert_rank(inputs, 2, message="MyAntirectifier expects (batch, features)")
        # Take the positive part of the input
        pos = tf.nn.relu(inputs)
        # Take the negative part of the input
        neg = tf.nn.relu(-inputs)
        # Concatenate the positive and negative parts
        concatenated = tf.concat([pos, neg], axis=-1)
        tf.debugging.assert_equal(tf.shape(concatenated)[-1], 2 * tf.shape(inputs)[-1])
        tf.print("concatenated.shape:", tf.shape(concatenated))
        # Project the concatenation down to the same dimensionality as the input
        return tf.matmul(concatenated, self.kernel)


class ClassToken(layers.Layer):
    """Prepends a learned [CLS] token to the patch embeddings."""

    def build(self, input_shape):
        self.cls = self.add_weight(name="cls", shape=(1, 1, input_shape[-1]), initializer="zeros", trainable=True)

    def call(self, x):
        batch_size = tf.shape(x)[0]
        cls_broadcasted = tf.cast(tf.tile(self.cls, [batch_size, 1, 1]), dtype=x.dtype)
        return tf.concat([cls_broadcasted, x], axis=1)


class TransformerBlock(layers.Layer):
    def __init__(self, num_heads, key_dim, mlp_dim, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim)
        self.mlp = keras.Sequential([layers.Dense(mlp_dim, activation=tf.nn.gelu), layers.Dense(key_dim * num_heads)])
        self.norm1 = layers.LayerNormalization(epsilon=1e-6)
        self.norm2 = layers.LayerNormalization(epsilon=1e-6)

    def call(self, inputs):
        x = self.norm1(inputs)
        x, weights = self.att(x, x, return_attention_scores=True)
        x = x + inputs
        y = self.norm2(x)
        return x + self.mlp(y), weights


class MyModel(keras.Model):
    def train_step(self, data):
        inputs, targets = data
        trainable_vars = self.trainable_variables
        with tf.GradientTape() as tape:
            preds = self(inputs, training=True)  # Forward pass
            # Compute the loss value
            # (the loss function is configured in `compile()`)
            loss = self.compiled_loss(targets, preds)
        # Compute first-order gradients
        dl_dw = tape.gradient(loss, trainable_vars)

        # Display the gradient statistics (run_eagerly=True)
        print("Max of dl_dw[0]: %.4f" % tf.reduce_max(dl_dw[0]))
        print("Min of dl_dw[0]: %.4f" % tf.reduce_min(dl_dw[0]))
        print("Mean of dl_dw[0]: %.4f" % tf.reduce_mean(dl_dw[0]))

        # Update weights
        self.optimizer.apply_gradients(zip(dl_dw, trainable_vars))

        # Update metrics (includes the metric that tracks the loss)
        self.compiled_metrics.update_state(targets, preds)
        # Return a dict mapping metric names to current value
        return {m.name: m.result() for m in self.metrics}


def get_vit():
    inputs = keras.Input(shape=(image_size, image_size, 3))
    x = layers.Conv2D(projection_dim, patch_size, strides=patch_size, name="projection")(inputs)
    x = layers.Reshape((num_patches, projection_dim))(x)
    x = ClassToken(name="class_token")(x)
    x = x + layers.Embedding(num_patches + 1, projection_dim)(tf.range(num_patches + 1))
    for i in range(num_blocks):
        x, _ = TransformerBlock(num_heads, projection_dim // num_heads, 32, name=f"transformer_block_{i}")(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    x = MyAntirectifier(name="antirectifier")(x[:, 0])
    outputs = layers.Dense(num_classes)(x)
    return MyModel(inputs, outputs)


rng = np.random.default_rng(7)
x_train = rng.normal(size=(64, image_size, image_size, 3)).astype("float32")
y_train = (x_train[:, :8, :8].mean(axis=(1, 2, 3)) > 0).astype("int64") + (x_train[:, 8:, 8:].mean(axis=(1, 2, 3)) > 0)

model = get_vit()
model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=1e-2),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
    run_eagerly=True,
)
model.fit(x_train, y_train, batch_size=32, epochs=1)

# Feature extraction over the intermediate layers: the attention scores of every block.
features_list = [model.get_layer(f"transformer_block_{i}").output[1] for i in range(num_blocks)]
attention_extractor = keras.Model(inputs=model.input, outputs=features_list)
attention_scores = attention_extractor(x_train[:1])
attention_score_dict = {f"transformer_block_{i}": scores for i, scores in enumerate(attention_scores)}
print({name: scores.shape for name, scores in attention_score_dict.items()})


def attention_rollout_map(attention_score_dict, num_cls_tokens=1):
    # Stack the individual attention matrices from individual Transformer blocks.
    attn_mat = tf.stack([attention_score_dict[k] for k in attention_score_dict.keys()])
    attn_mat = tf.squeeze(attn_mat, axis=1)
    # Average the attention weights across all heads.
    attn_mat = tf.reduce_mean(attn_mat, axis=1)
    # To account for residual connections, we add an identity matrix to the attention matrix
    # and re-normalize the weights.
    residual_attn = tf.eye(attn_mat.shape[1])
    aug_attn_mat = attn_mat + residual_attn
    aug_attn_mat = aug_attn_mat / tf.reduce_sum(aug_attn_mat, axis=-1)[..., None]
    aug_attn_mat = aug_attn_mat.numpy()
    # Recursively multiply the weight matrices.
    joint_attentions = np.zeros(aug_attn_mat.shape)
    joint_attentions[0] = aug_attn_mat[0]
    for n in range(1, aug_attn_mat.shape[0]):
        joint_attentions[n] = np.matmul(aug_attn_mat[n], joint_attentions[n - 1])
    # Attention from the output token to the input space.
    v = joint_attentions[-1]
    grid_size = int(np.sqrt(aug_attn_mat.shape[-1]))
    return v[0, num_cls_tokens:].reshape(grid_size, grid_size)


def compute_mean_attention_dist(patch_size, attention_weights, num_cls_tokens=1):
    # The attention_weights shape = (batch, num_heads, num_patches, num_patches)
    attention_weights = attention_weights[..., num_cls_tokens:, num_cls_tokens:]  # Removing the CLS token
    num_patches = attention_weights.shape[-1]
    length = int(np.sqrt(num_patches))
    distance_matrix = np.zeros((num_patches, num_patches))
    for i in range(num_patches):
        for j in range(num_patches):
            xi, yi = divmod(i, length)
            xj, yj = divmod(j, length)
            distance_matrix[i, j] = patch_size * np.linalg.norm([xi - xj, yi - yj])
    distance_matrix = tf.constant(distance_matrix, dtype=tf.float32)
    # Mean distance per query patch, then over the patches.
    mean_distances = tf.einsum("bhqk,qk->bhq", attention_weights, distance_matrix)
    return tf.reduce_mean(mean_distances, axis=-1).numpy()


print(attention_rollout_map(attention_score_dict).shape)
print([compute_mean_attention_dist(patch_size, scores).shape for scores in attention_scores])

# The patch-projection filters of the first layer.
projections = model.get_layer("projection").get_weights()[0]
print(projections.shape, float(np.abs(projections).mean()))
