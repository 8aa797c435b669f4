"""Hand conversion to multi-backend Keras 3: the StringLookup layers run in the tf.data pipeline
(JAX and PyTorch have no string tensors), the model takes their integer indices and one-hot
encodes them itself with CategoryEncoding for the wide part.

Wide & Deep on census-income-like data (in the style of the tf.keras-era keras.io "Structured
data learning with Wide, Deep, and Cross networks"): a dict of named keras.Input made in a loop
(tf.float32 for numeric columns, tf.string for categorical ones), one encode_inputs(inputs,
use_embedding) helper that builds a StringLookup per categorical feature with
output_mode="int" if use_embedding else "binary": the wide part one-hot encodes
lookup(tf.expand_dims(inputs[name], -1)), the deep part embeds lookup(inputs[name]) (so every
string input gets two lookups); numeric columns go through tf.expand_dims. Trained on a tf.data
dataset of a dict of columns, evaluated, and used to predict on a dict of single rows.
"""
import math

import numpy as np
import tensorflow as tf
import keras
from keras import layers
from keras.layers import StringLookup

rng = np.random.RandomState(3)
n = 512
CATEGORICAL_FEATURES_WITH_VOCABULARY = {
    "workclass": ["Private", "Self-emp", "Federal-gov", "Local-gov"],
    "education": ["Bachelors", "HS-grad", "Masters", "Doctorate", "Some-college"],
    "marital_status": ["Married", "Never-married", "Divorced"],
}
NUMERIC_FEATURE_NAMES = ["age", "hours_per_week"]
CATEGORICAL_FEATURE_NAMES = list(CATEGORICAL_FEATURES_WITH_VOCABULARY.keys())
FEATURE_NAMES = NUMERIC_FEATURE_NAMES + CATEGORICAL_FEATURE_NAMES

columns = {
    "age": rng.uniform(18, 70, n).astype("float32"),
    "hours_per_week": rng.uniform(10, 60, n).astype("float32"),
}
for name, vocab in CATEGORICAL_FEATURES_WITH_VOCABULARY.items():
    columns[name] = np.array(vocab, dtype=object)[rng.randint(0, len(vocab), n)]
income = (
    (columns["education"] == "Masters") | (columns["education"] == "Doctorate")
) & (columns["hours_per_week"] > 30)
labels = (income | (rng.uniform(size=n) < 0.1)).astype("float32")

LOOKUPS = {
    name: StringLookup(vocabulary=vocab, mask_token=None, num_oov_indices=0)
    for name, vocab in CATEGORICAL_FEATURES_WITH_VOCABULARY.items()
}


def lookup_features(features, *rest):
    features = {name: LOOKUPS[name](value) if name in LOOKUPS else value for name, value in features.items()}
    # In the order of the model's inputs (sorted by name).
    features = {name: features[name] for name in sorted(features)}
    return (features, *rest) if rest else features


split = 400
train_dataset = tf.data.Dataset.from_tensor_slices(
    ({k: v[:split] for k, v in columns.items()}, labels[:split])
).shuffle(split, seed=0).batch(64).map(lookup_features)
test_dataset = tf.data.Dataset.from_tensor_slices(
    ({k: v[split:] for k, v in columns.items()}, labels[split:])
).batch(64).map(lookup_features)


def create_model_inputs():
    inputs = {}
    for feature_name in FEATURE_NAMES:
        if feature_name in NUMERIC_FEATURE_NAMES:
            inputs[feature_name] = layers.Input(name=feature_name, shape=(), dtype="float32")
        else:
            inputs[feature_name] = layers.Input(name=feature_name, shape=(), dtype="int64")
    return inputs


def encode_inputs(inputs, use_embedding=False):
    encoded_features = []
    for feature_name in inputs:
        if feature_name in CATEGORICAL_FEATURE_NAMES:
            vocabulary = CATEGORICAL_FEATURES_WITH_VOCABULARY[feature_name]
            # The input holds the lookup's indices (looked up in the tf.data pipeline).
            if use_embedding:
                encoded_feature = inputs[feature_name]
                embedding_dims = int(math.sqrt(len(vocabulary)))
                embedding = layers.Embedding(input_dim=len(vocabulary), output_dim=embedding_dims)
                encoded_feature = embedding(encoded_feature)
            else:
                # One-hot encoding of the string values.
                encoded_feature = layers.CategoryEncoding(num_tokens=len(vocabulary), output_mode="one_hot")(
                    keras.ops.expand_dims(inputs[feature_name], -1)
                )
        else:
            encoded_feature = keras.ops.expand_dims(inputs[feature_name], -1)
        encoded_features.append(encoded_feature)
    return layers.concatenate(encoded_features)


def create_wide_and_deep_model():
    inputs = create_model_inputs()
    wide = encode_inputs(inputs)
    wide = layers.BatchNormalization()(wide)
    deep = encode_inputs(inputs, use_embedding=True)
    for units in [32, 16]:
        deep = layers.Dense(units)(deep)
        deep = layers.BatchNormalization()(deep)
        deep = layers.ReLU()(deep)
        deep = layers.Dropout(0.1)(deep)
    merged = layers.concatenate([wide, deep])
    outputs = layers.Dense(units=1, activation="sigmoid")(merged)
    return keras.Model(inputs=inputs, outputs=outputs)


model = create_wide_and_deep_model()
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss=keras.losses.BinaryCrossentropy(),
    metrics=[keras.metrics.BinaryAccuracy(name="accuracy")],
)
model.fit(train_dataset, epochs=3, verbose=2)
_, accuracy = model.evaluate(test_dataset, verbose=0)
print(f"Test accuracy: {round(accuracy * 100, 2)}%")

sample = {
    "age": tf.constant([41.0]),
    "hours_per_week": tf.constant([45.0]),
    "workclass": tf.constant(["Private"]),
    "education": tf.constant(["Masters"]),
    "marital_status": tf.constant(["Married"]),
}
print("income > 50K probability: %.2f" % model.predict(lookup_features(sample), verbose=0)[0][0])
