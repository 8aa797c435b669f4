"""Deep & Cross Network on structured data: dict inputs, StringLookup/IntegerLookup + Embedding.

In the style of the tf.keras-era keras.io "Structured data learning with Wide, Deep, and Cross
networks" and the TensorFlow Recommenders DCN tutorial: a dict of named keras.Input (string,
integer and float features), StringLookup / IntegerLookup layers adapted on the training data and
applied inside the model, Embedding per categorical feature, a custom Cross layer (full-rank
x0 * (W x) + b + x with tf.matmul, and a low-rank variant with tf.einsum), stacked with a deep
tower, trained with model.fit on a dict of numpy arrays, then saved weights and a prediction on a
dict of single rows.
"""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers import StringLookup, IntegerLookup

np.random.seed(7)
tf.random.set_seed(7)

n = 800
colors = np.array(["red", "green", "blue", "black", "white"])
cities = np.array(["paris", "oslo", "lima", "tokyo", "cairo", "quito"])
data = {
    "color": colors[np.random.randint(0, len(colors), n)],
    "city": cities[np.random.randint(0, len(cities), n)],
    "store_id": np.random.randint(100, 120, n).astype("int64"),
    "price": np.random.uniform(1.0, 10.0, n).astype("float32"),
    "age": np.random.uniform(18.0, 70.0, n).astype("float32"),
}
score = (
    (data["color"] == "red") * 1.0
    + (data["city"] == "oslo") * (data["price"] > 5) * 1.5
    + (data["store_id"] % 3 == 0) * 0.5
    - 0.02 * data["age"]
)
labels = (score + np.random.normal(0, 0.3, n) > 0.0).astype("float32")

CATEGORICAL_STRING = ["color", "city"]
CATEGORICAL_INT = ["store_id"]
NUMERIC = ["price", "age"]
EMBEDDING_DIM = 4


class Cross(layers.Layer):
    """x_{l+1} = x0 * (W x_l + b) + x_l; W optionally factored as U V (low rank)."""

    def __init__(self, projection_dim=None, **kwargs):
        super(Cross, self).__init__(**kwargs)
        self.projection_dim = projection_dim

    def build(self, input_shape):
        last_dim = input_shape[-1]
        if self.projection_dim is None:
            self.kernel = self.add_weight(
                name="kernel", shape=(last_dim, last_dim), initializer="glorot_uniform", trainable=True
            )
        else:
            self.u = self.add_weight(name="u", shape=(last_dim, self.projection_dim), initializer="glorot_uniform")
            self.v = self.add_weight(name="v", shape=(self.projection_dim, last_dim), initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(last_dim,), initializer="zeros", trainable=True)
        super(Cross, self).build(input_shape)

    def call(self, x0, x=None):
        if x is None:
            x = x0
        if self.projection_dim is None:
            prod_output = tf.matmul(x, self.kernel)
        else:
            prod_output = tf.einsum("bi,ij->bj", tf.einsum("bi,ij->bj", x, self.u), self.v)
        return x0 * (prod_output + self.bias) + x

    def get_config(self):
        config = super(Cross, self).get_config()
        config.update({"projection_dim": self.projection_dim})
        return config


def create_model_inputs():
    inputs = {}
    for name in CATEGORICAL_STRING:
        inputs[name] = layers.Input(name=name, shape=(), dtype=tf.string)
    for name in CATEGORICAL_INT:
        inputs[name] = layers.Input(name=name, shape=(), dtype=tf.int64)
    for name in NUMERIC:
        inputs[name] = layers.Input(name=name, shape=(), dtype=tf.float32)
    return inputs


def encode_inputs(inputs):
    encoded_features = []
    for name in CATEGORICAL_STRING + CATEGORICAL_INT:
        if name in CATEGORICAL_STRING:
            lookup = StringLookup(mask_token=None, num_oov_indices=1)
        else:
            lookup = IntegerLookup(mask_token=None, num_oov_indices=1)
        lookup.adapt(data[name])
        embedding = layers.Embedding(input_dim=lookup.vocabulary_size(), output_dim=EMBEDDING_DIM)
        encoded_features.append(embedding(lookup(inputs[name])))
    for name in NUMERIC:
        encoded_features.append(tf.expand_dims(inputs[name], -1))
    return layers.concatenate(encoded_features)


def create_dcn_model():
    inputs = create_model_inputs()
    x0 = encode_inputs(inputs)
    x0 = layers.BatchNormalization()(x0)
    cross = Cross()(x0)
    cross = Cross(projection_dim=4)(x0, cross)
    deep = x0
    for units in [32, 16]:
        deep = layers.Dense(units)(deep)
        deep = layers.BatchNormalization()(deep)
        deep = layers.ReLU()(deep)
        deep = layers.Dropout(0.1)(deep)
    merged = layers.concatenate([cross, deep])
    outputs = layers.Dense(1, activation="sigmoid")(merged)
    return keras.Model(inputs=inputs, outputs=outputs)


dcn_model = create_dcn_model()
dcn_model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss=keras.losses.BinaryCrossentropy(),
    metrics=[keras.metrics.BinaryAccuracy(name="accuracy"), keras.metrics.AUC(name="auc")],
)
dcn_model.summary()
history = dcn_model.fit(data, labels, batch_size=64, epochs=4, validation_split=0.2, verbose=2)
_, accuracy, auc = dcn_model.evaluate(data, labels, verbose=0)
print(f"accuracy {accuracy:.3f} auc {auc:.3f}")

dcn_model.save_weights("dcn_checkpoint")
restored = create_dcn_model()
restored.load_weights("dcn_checkpoint")
sample = {name: values[:3] for name, values in data.items()}
print("predictions", restored.predict(sample, verbose=0).ravel())
print("output kernel norm", float(tf.norm(dcn_model.layers[-1].kernel)))
