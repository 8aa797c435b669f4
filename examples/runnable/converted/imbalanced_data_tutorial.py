"""Hand conversion of the TensorFlow imbalanced-data tutorial to multi-backend Keras 3.

Keras 3's BinaryCrossentropy *metric* does not squeeze the labels' rank to the predictions' as Keras 2
did (rank-1 labels against a (batch, 1) output fail on every backend), and the MeanSquaredError metric
broadcasts them to (batch, batch): the two are given the per-sample values of the matching Loss
(which does squeeze) through MeanMetricWrapper. save_weights needs the `.weights.h5` suffix.
model.metrics_names is ['loss', 'compile_metrics'] in Keras 3, so the results are read with
evaluate(return_dict=True). tf.data.experimental.sample_from_datasets is
tf.data.Dataset.sample_from_datasets; steps_per_epoch is an int.
"""
import os
import tempfile

import numpy as np
import keras
import tensorflow as tf

rng = np.random.default_rng(0)
n = 4000
neg_count, pos_count = 3900, 100
features = rng.normal(size=(n, 12)).astype("float32")
labels = np.concatenate([np.zeros(neg_count), np.ones(pos_count)]).astype("float32")
features[labels == 1] += 1.5
perm = rng.permutation(n)
features, labels = features[perm], labels[perm]
total = neg_count + pos_count
print("Examples:\n    Total: {}\n    Positive: {} ({:.2f}% of total)\n".format(total, pos_count, 100 * pos_count / total))

# Split in place of sklearn's train_test_split and StandardScaler.
train_features, val_features, test_features = features[:2800], features[2800:3400], features[3400:]
train_labels, val_labels, test_labels = labels[:2800], labels[2800:3400], labels[3400:]
mean, std = train_features.mean(axis=0), train_features.std(axis=0)
train_features = np.clip((train_features - mean) / std, -5, 5)
val_features = np.clip((val_features - mean) / std, -5, 5)
test_features = np.clip((test_features - mean) / std, -5, 5)
bool_train_labels = train_labels != 0

METRICS = [
    keras.metrics.MeanMetricWrapper(keras.losses.BinaryCrossentropy(reduction=None), name="cross entropy"),  # same as model's loss
    keras.metrics.MeanMetricWrapper(keras.losses.MeanSquaredError(reduction=None), name="Brier score"),
    keras.metrics.TruePositives(name="tp"),
    keras.metrics.FalsePositives(name="fp"),
    keras.metrics.TrueNegatives(name="tn"),
    keras.metrics.FalseNegatives(name="fn"),
    keras.metrics.BinaryAccuracy(name="accuracy"),
    keras.metrics.Precision(name="precision"),
    keras.metrics.Recall(name="recall"),
    keras.metrics.AUC(name="auc"),
    keras.metrics.AUC(name="prc", curve="PR"),  # precision-recall curve
]


def make_model(metrics=METRICS, output_bias=None):
    if output_bias is not None:
        output_bias = keras.initializers.Constant(output_bias)
    model = keras.Sequential([
        keras.Input(shape=(train_features.shape[-1],)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(1, activation="sigmoid", bias_initializer=output_bias),
    ])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss=keras.losses.BinaryCrossentropy(),
        metrics=metrics)
    return model


EPOCHS = 3
BATCH_SIZE = 256

early_stopping = keras.callbacks.EarlyStopping(
    monitor="val_prc", verbose=1, patience=10, mode="max", restore_best_weights=True)

model = make_model()
model.summary()
print(model.predict(train_features[:10], verbose=0))

results = model.evaluate(train_features, train_labels, batch_size=BATCH_SIZE, verbose=0)
print("Loss: {:0.4f}".format(results[0]))

initial_bias = np.log([pos_count / neg_count])
model = make_model(output_bias=initial_bias)
results = model.evaluate(train_features, train_labels, batch_size=BATCH_SIZE, verbose=0)
print("Loss: {:0.4f}".format(results[0]))

initial_weights = os.path.join(tempfile.mkdtemp(), "initial.weights.h5")
model.save_weights(initial_weights)

model = make_model()
model.load_weights(initial_weights)
model.layers[-1].bias.assign([0.0])
zero_bias_history = model.fit(train_features, train_labels, batch_size=BATCH_SIZE, epochs=2,
                              validation_data=(val_features, val_labels), verbose=0)

model = make_model()
model.load_weights(initial_weights)
baseline_history = model.fit(train_features, train_labels, batch_size=BATCH_SIZE, epochs=EPOCHS,
                             callbacks=[early_stopping], validation_data=(val_features, val_labels), verbose=0)
print(sorted(baseline_history.history)[:6])

train_predictions_baseline = model.predict(train_features, batch_size=BATCH_SIZE, verbose=0)
test_predictions_baseline = model.predict(test_features, batch_size=BATCH_SIZE, verbose=0)


def plot_cm(labels, predictions, threshold=0.5):
    cm = tf.math.confusion_matrix(labels, predictions.ravel() > threshold).numpy()
    print("Legitimate Transactions Detected (True Negatives): ", cm[0][0])
    print("Legitimate Transactions Incorrectly Detected (False Positives): ", cm[0][1])
    print("Fraudulent Transactions Missed (False Negatives): ", cm[1][0])
    print("Fraudulent Transactions Detected (True Positives): ", cm[1][1])


baseline_results = model.evaluate(test_features, test_labels, batch_size=BATCH_SIZE, verbose=0, return_dict=True)
for name, value in baseline_results.items():
    print(name, ": ", value)
print()
plot_cm(test_labels, test_predictions_baseline)

# Class weights
weight_for_0 = (1 / neg_count) * (total / 2.0)
weight_for_1 = (1 / pos_count) * (total / 2.0)
class_weight = {0: weight_for_0, 1: weight_for_1}
weighted_model = make_model()
weighted_model.load_weights(initial_weights)
weighted_history = weighted_model.fit(train_features, train_labels, batch_size=BATCH_SIZE, epochs=EPOCHS,
                                      callbacks=[early_stopping], validation_data=(val_features, val_labels),
                                      class_weight=class_weight, verbose=0)
weighted_results = weighted_model.evaluate(test_features, test_labels, batch_size=BATCH_SIZE, verbose=0, return_dict=True)
for name, value in weighted_results.items():
    print(name, ": ", value)

# Oversampling with tf.data
pos_features = train_features[bool_train_labels]
neg_features = train_features[~bool_train_labels]
pos_labels = train_labels[bool_train_labels]
neg_labels = train_labels[~bool_train_labels]
BUFFER_SIZE = 1000


def make_ds(features, labels):
    ds = tf.data.Dataset.from_tensor_slices((features, labels))  # .cache()
    ds = ds.shuffle(BUFFER_SIZE).repeat()
    return ds


pos_ds = make_ds(pos_features, pos_labels)
neg_ds = make_ds(neg_features, neg_labels)
resampled_ds = tf.data.Dataset.sample_from_datasets([pos_ds, neg_ds], weights=[0.5, 0.5])
resampled_ds = resampled_ds.batch(BATCH_SIZE).prefetch(2)
resampled_steps_per_epoch = int(np.ceil(2.0 * neg_count / BATCH_SIZE / 4))

resampled_model = make_model()
resampled_model.load_weights(initial_weights)
# Reset the bias to zero, since this dataset is balanced.
output_layer = resampled_model.layers[-1]
output_layer.bias.assign([0])
val_ds = tf.data.Dataset.from_tensor_slices((val_features, val_labels)).cache()
val_ds = val_ds.batch(BATCH_SIZE).prefetch(2)
resampled_history = resampled_model.fit(resampled_ds, epochs=EPOCHS, steps_per_epoch=resampled_steps_per_epoch,
                                        callbacks=[early_stopping], validation_data=val_ds, verbose=0)
resampled_results = resampled_model.evaluate(test_features, test_labels, batch_size=BATCH_SIZE, verbose=0, return_dict=True)
for name, value in resampled_results.items():
    print(name, ": ", value)
print(resampled_history.history["val_prc"][-1] >= 0.0)
