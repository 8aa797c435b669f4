"""Hand conversion to multi-backend Keras 3: the StringLookup/IntegerLookup layers run in the tf.data
pipeline (JAX and PyTorch have no string tensors, and these layers run TensorFlow); the model takes
their integer indices and encodes them with CategoryEncoding.

Structured data with Keras preprocessing layers (in the style of the TensorFlow tutorial
"Classify structured data using Keras preprocessing layers", PetFinder): a dict of columns made
into a tf.data dataset of (batch, 1) features; get_normalization_layer / get_category_encoding_layer
helpers that adapt a Normalization or a StringLookup/IntegerLookup (chosen by an if/else on the
dtype) on dataset.map(lambda x, y: x[name]) and return `lambda feature: encoder(index(feature))`
with a CategoryEncoding(num_tokens=index.vocabulary_size()); keras.Input per column (int64 and
string ones made in a loop), keras.layers.concatenate, fit on the dataset, predict on a dict of
tf.convert_to_tensor([value]) rows and tf.nn.sigmoid on the logits.
"""
import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.RandomState(0)
n = 200
df = {
    "Age": rng.randint(1, 100, n).astype("int64"),
    "Type": np.array(["Cat", "Dog"], dtype=object)[rng.randint(0, 2, n)],
    "Color1": np.array(["Black", "Brown", "White", "Gold"], dtype=object)[rng.randint(0, 4, n)],
    "Fee": rng.uniform(0, 100, n).astype("float32"),
}
target = (df["Type"] == "Cat").astype("int64")


def df_to_dataset(features, labels, shuffle=True, batch_size=32):
    ds = tf.data.Dataset.from_tensor_slices(({k: v[:, None] for k, v in features.items()}, labels))
    if shuffle:
        ds = ds.shuffle(buffer_size=len(labels))
    return ds.batch(batch_size)


train_ds = df_to_dataset(df, target)


def get_normalization_layer(name, dataset):
    normalizer = layers.Normalization(axis=None)
    feature_ds = dataset.map(lambda x, y: x[name])
    normalizer.adapt(feature_ds)
    return normalizer


def get_category_encoding_layer(name, dataset, dtype, max_tokens=None):
    if dtype == "string":
        index = layers.StringLookup(max_tokens=max_tokens)
    else:
        index = layers.IntegerLookup(max_tokens=max_tokens)
    feature_ds = dataset.map(lambda x, y: x[name])
    index.adapt(feature_ds)
    lookups[name] = index  # applied to the data by lookup_features()
    encoder = layers.CategoryEncoding(num_tokens=index.vocabulary_size())
    return lambda feature: encoder(feature)


lookups = {}


def lookup_features(features, *rest):
    features = {name: lookups[name](value) if name in lookups else value for name, value in features.items()}
    # In the order of the model's inputs (sorted by name).
    features = {name: features[name] for name in sorted(features)}
    return (features, *rest) if rest else features


all_inputs = []
encoded_features = []
numerical_col = keras.Input(shape=(1,), name="Fee")
normalization_layer = get_normalization_layer("Fee", train_ds)
all_inputs.append(numerical_col)
encoded_features.append(normalization_layer(numerical_col))

age_col = keras.Input(shape=(1,), name="Age", dtype="int64")
encoding_layer = get_category_encoding_layer(name="Age", dataset=train_ds, dtype="int64", max_tokens=5)
all_inputs.append(age_col)
encoded_features.append(encoding_layer(age_col))

for header in ["Type", "Color1"]:
    categorical_col = keras.Input(shape=(1,), name=header, dtype="int64")
    encoding_layer = get_category_encoding_layer(name=header, dataset=train_ds, dtype="string", max_tokens=5)
    encoded_categorical_col = encoding_layer(categorical_col)
    all_inputs.append(categorical_col)
    encoded_features.append(encoded_categorical_col)

all_features = keras.layers.concatenate(encoded_features)
x = keras.layers.Dense(32, activation="relu")(all_features)
output = keras.layers.Dense(1)(x)
model = keras.Model(all_inputs, output)
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(train_ds.map(lookup_features), epochs=2, verbose=0)
sample = {"Type": "Cat", "Age": 3, "Color1": "Black", "Fee": 100.0}
input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
print("prob", keras.ops.convert_to_numpy(keras.ops.sigmoid(model.predict(lookup_features(input_dict), verbose=0)[0])))
