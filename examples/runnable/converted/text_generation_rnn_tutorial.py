"""Character-level text generation with a GRU (after the TensorFlow tutorial "Text generation with
an RNN" of the tf.keras era), on a tiny synthetic text: tf.strings.unicode_split and StringLookup
(and its inverse) for the vocabulary, tf.data windows split into input and target, a subclassed
model whose call() takes the GRU states and return_state, a CustomTraining model overriding
train_step with a GradientTape, and a OneStep generator model with a @tf.function step sampling
with tf.random.categorical.

Hand conversion to multi-backend Keras 3. super().__init__(self) becomes super().__init__() (Keras 3's
Layer takes no positional arguments); GRU.get_initial_state takes the batch size; the string side
(StringLookup in the tf.data pipeline, which runs on any backend) stays in TensorFlow, but the
generator works on token ids with numpy (the vocabulary list gives the inverse lookup, the [UNK]
mask is a numpy array, keras.random.categorical with a SeedGenerator samples), without @tf.function,
so the model runs on the backend's tensors. CustomTraining.train_step dispatches on
keras.backend.backend() (GradientTape / backward() / jax.value_and_grad over stateless_call); on
JAX it runs un-jitted and updates the variables in place so that the tutorial's hand loop calling
model.train_step([inp, target]) works as well as fit(); the hand loop iterates the dataset as numpy."""
import time

import numpy as np
import tensorflow as tf
import keras
from keras import ops

words = ["first", "citizen", "before", "we", "proceed", "any", "further", "hear", "me", "speak"]
rng = np.random.default_rng(0)
text = " ".join(rng.choice(words, size=600)) + "\n"
vocab = sorted(set(text))
print(f"{len(vocab)} unique characters")

ids_from_chars = keras.layers.StringLookup(vocabulary=list(vocab), mask_token=None)
id_to_char = np.array(ids_from_chars.get_vocabulary())
char_to_id = {c: i for i, c in enumerate(id_to_char)}


def text_from_ids(ids):
    return "".join(id_to_char[np.asarray(ids)])


all_ids = ops.convert_to_numpy(ids_from_chars(tf.strings.unicode_split(text, "UTF-8")))
ids_dataset = tf.data.Dataset.from_tensor_slices(all_ids)
seq_length = 40
sequences = ids_dataset.batch(seq_length + 1, drop_remainder=True)


def split_input_target(sequence):
    input_text = sequence[:-1]
    target_text = sequence[1:]
    return input_text, target_text


dataset = sequences.map(split_input_target)
BATCH_SIZE = 16
BUFFER_SIZE = 1000
dataset = dataset.shuffle(BUFFER_SIZE).batch(BATCH_SIZE, drop_remainder=True).prefetch(tf.data.AUTOTUNE)

vocab_size = len(ids_from_chars.get_vocabulary())
embedding_dim = 16
rnn_units = 32


class MyModel(keras.Model):
    def __init__(self, vocab_size, embedding_dim, rnn_units):
        super().__init__()
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = keras.layers.GRU(rnn_units, return_sequences=True, return_state=True)
        self.dense = keras.layers.Dense(vocab_size)

    def call(self, inputs, states=None, return_state=False, training=False):
        x = inputs
        x = self.embedding(x, training=training)
        if states is None:
            states = self.gru.get_initial_state(ops.shape(x)[0])
        x, states = self.gru(x, initial_state=states, training=training)
        x = self.dense(x, training=training)

        if return_state:
            return x, states
        else:
            return x


model = MyModel(vocab_size=vocab_size, embedding_dim=embedding_dim, rnn_units=rnn_units)

for input_example_batch, target_example_batch in dataset.take(1).as_numpy_iterator():
    example_batch_predictions = model(input_example_batch)
    print(example_batch_predictions.shape, "# (batch_size, sequence_length, vocab_size)")

model.summary()
sampled_indices = keras.random.categorical(example_batch_predictions[0], num_samples=1)
sampled_indices = ops.convert_to_numpy(ops.squeeze(sampled_indices, axis=-1))
print("Next Char Predictions:", text_from_ids(sampled_indices)[:20])

loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
example_batch_mean_loss = loss(target_example_batch, example_batch_predictions)
print("Mean loss:", float(example_batch_mean_loss), "exp", float(ops.exp(example_batch_mean_loss)))

model.compile(optimizer="adam", loss=loss)
history = model.fit(dataset, epochs=2, verbose=0)
print("loss", history.history["loss"][-1])


class OneStep(keras.Model):
    def __init__(self, model, temperature=1.0):
        super().__init__()
        self.temperature = temperature
        self.model = model
        self.seed_generator = keras.random.SeedGenerator(0)

        # Create a mask to prevent "[UNK]" from being generated.
        prediction_mask = np.zeros([len(id_to_char)], dtype="float32")
        prediction_mask[char_to_id["[UNK]"]] = -float("inf")
        self.prediction_mask = prediction_mask

    def generate_one_step(self, inputs, states=None):
        # inputs: a list of strings; padded with 0 ([UNK]) like RaggedTensor.to_tensor().
        width = max(len(s) for s in inputs)
        input_ids = np.zeros((len(inputs), width), dtype="int64")
        for row, s in enumerate(inputs):
            input_ids[row, : len(s)] = [char_to_id.get(c, 0) for c in s]
        predicted_logits, states = self.model(inputs=input_ids, states=states, return_state=True)
        predicted_logits = predicted_logits[:, -1, :]
        predicted_logits = predicted_logits / self.temperature
        predicted_logits = predicted_logits + ops.convert_to_tensor(self.prediction_mask)
        predicted_ids = keras.random.categorical(predicted_logits, num_samples=1, seed=self.seed_generator)
        predicted_ids = ops.convert_to_numpy(ops.squeeze(predicted_ids, axis=-1))
        predicted_chars = [str(c) for c in id_to_char[predicted_ids]]
        return predicted_chars, states


one_step_model = OneStep(model)

start = time.time()
states = None
next_char = ["first:", "hear:"]
result = [next_char]
for n in range(30):
    next_char, states = one_step_model.generate_one_step(next_char, states=states)
    result.append(next_char)
result = ["".join(parts) for parts in zip(*result)]
end = time.time()
print(result[0], "\n\n" + "_" * 80)
print("\nRun time:", end - start)
assert len(result) == 2
assert len(result[0]) == len("first:") + 30


class CustomTraining(MyModel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # fit() reports the metrics' results: a "loss" key of the step's logs alone would show
        # Keras 3's own (never updated) loss tracker.
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def _logs(self, loss):
        self.loss_tracker.update_state(loss)
        return {"loss": loss}

    def train_step(self, *args):
        if keras.backend.backend() == "jax":
            return self._jax_train_step(*args)
        if keras.backend.backend() == "torch":
            return self._torch_train_step(*args)
        return self._tensorflow_train_step(*args)

    def _tensorflow_train_step(self, inputs):
        inputs, labels = inputs
        with tf.GradientTape() as tape:
            predictions = self(inputs, training=True)
            loss = self.loss(labels, predictions)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return self._logs(loss)

    def _torch_train_step(self, inputs):
        import torch

        inputs, labels = inputs
        self.zero_grad()
        predictions = self(inputs, training=True)
        loss = self.loss(labels, predictions)
        loss.backward()
        grads = [v.value.grad for v in self.trainable_variables]
        with torch.no_grad():
            self.optimizer.apply(grads, self.trainable_variables)
        return self._logs(loss)

    def _jax_train_step(self, *args):
        import jax

        if len(args) == 2:
            # From fit() (un-jitted): put the state it threads through the step into the variables.
            state, inputs = args
            trainable, non_trainable, optimizer_variables, metrics_variables = state
            for variables, values in (
                (self.trainable_variables, trainable),
                (self.non_trainable_variables, non_trainable),
                (self.optimizer.variables, optimizer_variables),
                (self.metrics_variables, metrics_variables),
            ):
                for v, value in zip(variables, values):
                    v.assign(value)
        else:
            state, inputs = None, args[0]
        inputs, labels = inputs

        def loss_fn(trainable, non_trainable):
            predictions, non_trainable = self.stateless_call(trainable, non_trainable, inputs, training=True)
            return self.loss(labels, predictions), non_trainable

        (loss, non_trainable), grads = jax.value_and_grad(loss_fn, has_aux=True)(
            [v.value for v in self.trainable_variables], [v.value for v in self.non_trainable_variables]
        )
        self.optimizer.apply(grads, self.trainable_variables)
        for v, value in zip(self.non_trainable_variables, non_trainable):
            v.assign(value)
        logs = self._logs(loss)
        if state is None:
            return logs
        state = (
            [v.value for v in self.trainable_variables],
            [v.value for v in self.non_trainable_variables],
            [v.value for v in self.optimizer.variables],
            [v.value for v in self.metrics_variables],
        )
        return logs, state


model = CustomTraining(vocab_size=len(ids_from_chars.get_vocabulary()), embedding_dim=embedding_dim, rnn_units=rnn_units)
model.compile(
    optimizer=keras.optimizers.Adam(),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    jit_compile=False if keras.backend.backend() == "jax" else "auto",
)
history = model.fit(dataset, epochs=1, verbose=0)
print("custom training loss", history.history["loss"][-1])
assert history.history["loss"][-1] > 0

mean = keras.metrics.Mean()
for epoch in range(1):
    start = time.time()
    mean.reset_state()
    for batch_n, (inp, target) in enumerate(dataset.as_numpy_iterator()):
        logs = model.train_step([inp, target])
        mean.update_state(logs["loss"])
    print(f"Epoch {epoch+1} Loss: {float(mean.result()):.4f} Time {time.time() - start:.2f}")
assert np.isfinite(float(mean.result()))
