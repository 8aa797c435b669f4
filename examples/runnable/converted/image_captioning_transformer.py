"""Image captioning (keras.io example), converted by hand to multi-backend Keras 3: keras.ops in
the layers (causal and padding masks, positions), the per-caption train_step/test_step replaced by
a model whose call() takes (images, captions) and decodes every caption, trained by fit() with a
masked loss and a masked accuracy written with keras.ops (one update for all the captions of a
batch instead of one per caption), ops.where in the learning-rate schedule, NumPy data."""
import numpy as np
import keras
from keras import layers, ops

IMAGE_SIZE = (16, 16)
VOCAB_SIZE = 12
SEQ_LENGTH = 8
EMBED_DIM = 16
FF_DIM = 16
BATCH_SIZE = 8
NUM_CAPTIONS = 2

rng = np.random.default_rng(5)
images = rng.uniform(size=(16, *IMAGE_SIZE, 3)).astype("float32")
# token 0 is padding, 1 is <start>, 2 is <end>
captions = rng.integers(3, VOCAB_SIZE, size=(16, NUM_CAPTIONS, SEQ_LENGTH)).astype("int64")
captions[:, :, 0] = 1
lengths = rng.integers(4, SEQ_LENGTH, size=(16, NUM_CAPTIONS))
for i in range(16):
    for j in range(NUM_CAPTIONS):
        captions[i, j, lengths[i, j]] = 2
        captions[i, j, lengths[i, j] + 1 :] = 0
index_lookup = {i: f"word{i}" for i in range(VOCAB_SIZE)}
index_lookup.update({0: "", 1: "<start>", 2: "<end>"})

image_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomContrast(0.3)])


def get_cnn_model():
    # A small functional backbone stands in for efficientnet.EfficientNetB0(include_top=False).
    image_input = keras.Input(shape=(*IMAGE_SIZE, 3))
    features = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu")(image_input)
    features = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(features)
    base_model = keras.Model(image_input, features, name="backbone")
    base_model.trainable = False
    base_model_out = base_model.output
    base_model_out = layers.Reshape((-1, base_model_out.shape[-1]))(base_model_out)
    cnn_model = keras.models.Model(base_model.input, base_model_out)
    return cnn_model


class TransformerEncoderBlock(layers.Layer):
    def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim = embed_dim
        self.dense_dim = dense_dim
        self.num_heads = num_heads
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim, dropout=0.0)
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.dense_1 = layers.Dense(embed_dim, activation="relu")

    def call(self, inputs, training, mask=None):
        inputs = self.layernorm_1(inputs)
        inputs = self.dense_1(inputs)
        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=None, training=training)
        out_1 = self.layernorm_2(inputs + attention_output_1)
        return out_1


class PositionalEmbedding(layers.Layer):
    def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)
        self.sequence_length = sequence_length
        self.vocab_size = vocab_size
        self.embed_dim = embed_dim
        self.embed_scale = ops.sqrt(ops.cast(embed_dim, "float32"))

    def call(self, inputs):
        length = ops.shape(inputs)[-1]
        positions = ops.arange(start=0, stop=length, step=1)
        embedded_tokens = self.token_embeddings(inputs)
        embedded_tokens = embedded_tokens * self.embed_scale
        embedded_positions = self.position_embeddings(positions)
        return embedded_tokens + embedded_positions

    def compute_mask(self, inputs, mask=None):
        return ops.not_equal(inputs, 0)


class TransformerDecoderBlock(layers.Layer):
    def __init__(self, embed_dim, ff_dim, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim = embed_dim
        self.ff_dim = ff_dim
        self.num_heads = num_heads
        self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim, dropout=0.1)
        self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim, dropout=0.1)
        self.ffn_layer_1 = layers.Dense(ff_dim, activation="relu")
        self.ffn_layer_2 = layers.Dense(embed_dim)
        self.layernorm_1 = layers.LayerNormalization()
        self.layernorm_2 = layers.LayerNormalization()
        self.layernorm_3 = layers.LayerNormalization()
        self.embedding = PositionalEmbedding(embed_dim=EMBED_DIM, sequence_length=SEQ_LENGTH, vocab_size=VOCAB_SIZE)
        self.out = layers.Dense(VOCAB_SIZE, activation="softmax")
        self.dropout_1 = layers.Dropout(0.3)
        self.dropout_2 = layers.Dropout(0.5)
        self.supports_masking = True

    def call(self, inputs, encoder_outputs, training, mask=None):
        inputs = self.embedding(inputs)
        causal_mask = self.get_causal_attention_mask(inputs)

        if mask is not None:
            padding_mask = ops.cast(mask[:, :, None], dtype="int32")
            combined_mask = ops.cast(mask[:, None, :], dtype="int32")
            combined_mask = ops.minimum(combined_mask, causal_mask)

        attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs, attention_mask=combined_mask, training=training)
        out_1 = self.layernorm_1(inputs + attention_output_1)

        attention_output_2 = self.attention_2(
            query=out_1, value=encoder_outputs, key=encoder_outputs, attention_mask=padding_mask, training=training
        )
        out_2 = self.layernorm_2(out_1 + attention_output_2)

        ffn_out = self.ffn_layer_1(out_2)
        ffn_out = self.dropout_1(ffn_out, training=training)
        ffn_out = self.ffn_layer_2(ffn_out)

        ffn_out = self.layernorm_3(ffn_out + out_2, training=training)
        ffn_out = self.dropout_2(ffn_out, training=training)
        preds = self.out(ffn_out)
        return preds

    def get_causal_attention_mask(self, inputs):
        input_shape = ops.shape(inputs)
        batch_size, sequence_length = input_shape[0], input_shape[1]
        i = ops.arange(sequence_length)[:, None]
        j = ops.arange(sequence_length)
        mask = ops.cast(i >= j, dtype="int32")
        mask = ops.reshape(mask, (1, input_shape[1], input_shape[1]))
        return ops.tile(mask, (batch_size, 1, 1))


class ImageCaptioningModel(keras.Model):
    """Takes (images, captions) and predicts the next token of every caption of each image."""

    def __init__(self, cnn_model, encoder, decoder, num_captions_per_image=NUM_CAPTIONS, image_aug=None):
        super().__init__()
        self.cnn_model = cnn_model
        self.encoder = encoder
        self.decoder = decoder
        self.num_captions_per_image = num_captions_per_image
        self.image_aug = image_aug

    def call(self, inputs, training=False):
        batch_img, batch_seq = inputs
        if self.image_aug and training:
            batch_img = self.image_aug(batch_img, training=training)
        img_embed = self.cnn_model(batch_img)
        encoder_out = self.encoder(img_embed, training=training)
        predictions = []
        for i in range(self.num_captions_per_image):
            batch_seq_inp = batch_seq[:, i, :-1]
            mask = ops.not_equal(batch_seq[:, i, 1:], 0)
            predictions.append(self.decoder(batch_seq_inp, encoder_out, training=training, mask=mask))
        return ops.stack(predictions, axis=1)


def masked_loss(y_true, y_pred):
    # Summed over the captions of an image, as the Keras 2 train_step added one loss per caption.
    y_true = ops.reshape(y_true, (-1,))
    y_pred = ops.reshape(y_pred, (-1, VOCAB_SIZE))
    loss = keras.losses.sparse_categorical_crossentropy(y_true, y_pred)
    mask = ops.cast(ops.not_equal(y_true, 0), dtype=loss.dtype)
    return ops.sum(loss * mask) / ops.sum(mask) * NUM_CAPTIONS


def masked_accuracy(y_true, y_pred):
    accuracy = ops.equal(y_true, ops.argmax(y_pred, axis=-1))
    mask = ops.not_equal(y_true, 0)
    accuracy = ops.cast(ops.logical_and(mask, accuracy), dtype="float32")
    return ops.sum(accuracy) / ops.sum(ops.cast(mask, dtype="float32"))


cnn_model = get_cnn_model()
encoder = TransformerEncoderBlock(embed_dim=EMBED_DIM, dense_dim=FF_DIM, num_heads=1)
decoder = TransformerDecoderBlock(embed_dim=EMBED_DIM, ff_dim=FF_DIM, num_heads=2)
caption_model = ImageCaptioningModel(cnn_model=cnn_model, encoder=encoder, decoder=decoder, image_aug=image_augmentation)

# EarlyStopping criteria
early_stopping = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)


# Learning Rate Scheduler for the optimizer
class LRSchedule(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, post_warmup_learning_rate, warmup_steps):
        super().__init__()
        self.post_warmup_learning_rate = post_warmup_learning_rate
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        global_step = ops.cast(step, "float32")
        warmup_steps = ops.cast(self.warmup_steps, "float32")
        warmup_progress = global_step / warmup_steps
        warmup_learning_rate = self.post_warmup_learning_rate * warmup_progress
        return ops.where(global_step < warmup_steps, warmup_learning_rate, self.post_warmup_learning_rate)


num_train_steps = (len(images) // BATCH_SIZE) * 2
num_warmup_steps = num_train_steps // 4
lr_schedule = LRSchedule(post_warmup_learning_rate=1e-3, warmup_steps=num_warmup_steps)

caption_model.compile(optimizer=keras.optimizers.Adam(lr_schedule), loss=masked_loss, metrics=[masked_accuracy])
history = caption_model.fit(
    (images, captions),
    captions[:, :, 1:],
    batch_size=BATCH_SIZE,
    epochs=2,
    validation_data=((images[:8], captions[:8]), captions[:8, :, 1:]),
    callbacks=[early_stopping],
    verbose=0,
)
print("captioning history:", {k: round(float(v[-1]), 4) for k, v in history.history.items()})


def generate_caption(sample_img):
    # Pass the image to the CNN
    img = ops.expand_dims(sample_img, 0)
    img = caption_model.cnn_model(img)

    # Pass the image features to the Transformer encoder
    encoded_img = caption_model.encoder(img, training=False)

    # Generate the caption using the Transformer decoder
    decoded_tokens = [1]
    for i in range(SEQ_LENGTH - 1):
        tokenized_caption = np.zeros((1, SEQ_LENGTH - 1), dtype="int64")
        tokenized_caption[0, : len(decoded_tokens)] = decoded_tokens
        mask = ops.not_equal(tokenized_caption, 0)
        predictions = caption_model.decoder(tokenized_caption, encoded_img, training=False, mask=mask)
        sampled_token_index = int(np.argmax(ops.convert_to_numpy(predictions[0, i, :])))
        sampled_token = index_lookup[sampled_token_index]
        if sampled_token == "<end>":
            break
        decoded_tokens.append(sampled_token_index)
    return " ".join(index_lookup[t] for t in decoded_tokens[1:])


print("Predicted Caption:", repr(generate_caption(images[0])))
