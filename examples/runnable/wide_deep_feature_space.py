"""Wide & deep classification with FeatureSpace (in the style of the keras.io structured-data examples of the
tf.keras 2.12 era and the TensorFlow wide & deep guide): a FeatureSpace with output_mode="dict" (string and
integer categorical features, a discretized and a normalized float feature, a crossed feature) adapted on a
label-free tf.data dataset and mapped in tf.data; tf.keras.experimental.LinearModel on the one-hot and
crossed features (wide) and a DNN on all of them (deep), combined by tf.keras.experimental.WideDeepModel
compiled with two optimizers; the FeatureSpace saved to .keras and reloaded; the model's weights saved to
a checkpoint and restored."""
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.utils import FeatureSpace

rng = np.random.default_rng(21)
n = 256
colors = np.array(["red", "green", "blue"])
data = {
    "color": colors[rng.integers(0, 3, size=n)],
    "size": rng.integers(0, 4, size=n).astype("int64"),
    "age": rng.uniform(18, 80, size=n).astype("float32"),
    "income": rng.uniform(10, 200, size=n).astype("float32"),
}
target = (((data["color"] == "red") & (data["size"] > 1)) | (data["income"] > 150)).astype("int64")


def dataframe_to_dataset(features, labels):
    ds = tf.data.Dataset.from_tensor_slices((dict(features), labels))
    ds = ds.shuffle(buffer_size=len(labels), seed=4)
    return ds


split = 200
train_ds = dataframe_to_dataset({k: v[:split] for k, v in data.items()}, target[:split]).batch(32)
val_ds = dataframe_to_dataset({k: v[split:] for k, v in data.items()}, target[split:]).batch(32)

feature_space = FeatureSpace(
    features={
        "color": FeatureSpace.string_categorical(num_oov_indices=1),
        "size": FeatureSpace.integer_categorical(num_oov_indices=1),
        "age": FeatureSpace.float_discretized(num_bins=4),
        "income": FeatureSpace.float_normalized(),
    },
    crosses=[FeatureSpace.cross(feature_names=("color", "size"), crossing_dim=16)],
    output_mode="dict",
)
train_ds_with_no_labels = train_ds.map(lambda x, _: x)
feature_space.adapt(train_ds_with_no_labels)

for x, _ in train_ds.take(1):
    preprocessed_x = feature_space(x)
    print({name: tuple(value.shape) for name, value in preprocessed_x.items()})

preprocessed_train_ds = train_ds.map(lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE)
preprocessed_train_ds = preprocessed_train_ds.prefetch(tf.data.AUTOTUNE)
preprocessed_val_ds = val_ds.map(lambda x, y: (feature_space(x), y), num_parallel_calls=tf.data.AUTOTUNE)
preprocessed_val_ds = preprocessed_val_ds.prefetch(tf.data.AUTOTUNE)

encoded_features = feature_space.get_encoded_features()
wide_inputs = layers.concatenate([encoded_features[name] for name in ("color", "size", "age", "color_X_size")]
                                 + [tf.zeros_like(encoded_features["income"])])
deep_inputs = layers.concatenate(list(encoded_features.values()))

linear_model = keras.experimental.LinearModel(units=1)
wide = keras.Model(encoded_features, linear_model(wide_inputs), name="wide")
deep_x = layers.Dense(16, activation="relu")(deep_inputs)
deep_x = layers.Dropout(0.2)(deep_x)
deep = keras.Model(encoded_features, layers.Dense(1)(deep_x), name="deep")

combined_model = keras.experimental.WideDeepModel(wide, deep, activation="sigmoid")
combined_model.compile(
    optimizer=[keras.optimizers.SGD(learning_rate=0.05), keras.optimizers.Adam(learning_rate=0.01)],
    loss="binary_crossentropy",
    metrics=["accuracy"],
)
combined_model.fit(preprocessed_train_ds, validation_data=preprocessed_val_ds, epochs=3, verbose=0)
print("val:", combined_model.evaluate(preprocessed_val_ds, verbose=0))

feature_space.save("myfeaturespace.keras")
reloaded_feature_space = keras.models.load_model("myfeaturespace.keras")

combined_model.save_weights("wide_deep_ckpt")
restored = keras.experimental.WideDeepModel(keras.models.clone_model(wide), keras.models.clone_model(deep), activation="sigmoid")
restored.load_weights("wide_deep_ckpt")

sample = {"color": tf.constant(["red"]), "size": tf.constant([3], dtype=tf.int64),
          "age": tf.constant([30.0]), "income": tf.constant([40.0])}
encoded_sample = reloaded_feature_space(sample)
probability = restored.predict(encoded_sample, verbose=0)
print("probability:", float(probability[0][0]))
