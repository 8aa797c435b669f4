"""keras.io "Sequence to sequence learning for performing number addition" (tf.keras version, with
the Keras 2 era's backend helpers): a CharacterTable one-hot encoding questions and answers with
NumPy, an LSTM encoder with input_shape=, RepeatVector, an LSTM decoder with return_sequences=True,
TimeDistributed(Dense(softmax)), a custom exact-sequence-match metric written with keras.backend
(K.all, K.equal, K.argmax, K.cast, K.mean), a training loop of one-epoch fit() calls printing
predictions decoded with np.argmax, and a re-encoding of the predicted characters through
K.one_hot(K.argmax(...)) and K.eval."""
import keras
import numpy as np
from keras import layers
from keras import ops

TRAINING_SIZE = 400
DIGITS = 2
REVERSE = True
MAXLEN = DIGITS + 1 + DIGITS


class CharacterTable:
    """Given a set of characters: encode them to a one-hot integer representation, decode the
    one-hot or integer representation to their character output."""

    def __init__(self, chars):
        self.chars = sorted(set(chars))
        self.char_indices = dict((c, i) for i, c in enumerate(self.chars))
        self.indices_char = dict((i, c) for i, c in enumerate(self.chars))

    def encode(self, C, num_rows):
        x = np.zeros((num_rows, len(self.chars)))
        for i, c in enumerate(C):
            x[i, self.char_indices[c]] = 1
        return x

    def decode(self, x, calc_argmax=True):
        if calc_argmax:
            x = x.argmax(axis=-1)
        return "".join(self.indices_char[x] for x in x)


chars = "0123456789+ "
ctable = CharacterTable(chars)

questions = []
expected = []
seen = set()
rng = np.random.RandomState(0)
while len(questions) < TRAINING_SIZE:
    f = lambda: int("".join(rng.choice(list("0123456789")) for i in range(rng.randint(1, DIGITS + 1))))
    a, b = f(), f()
    key = tuple(sorted((a, b)))
    if key in seen:
        continue
    seen.add(key)
    q = "{}+{}".format(a, b)
    query = q + " " * (MAXLEN - len(q))
    ans = str(a + b)
    ans += " " * (DIGITS + 1 - len(ans))
    if REVERSE:
        query = query[::-1]
    questions.append(query)
    expected.append(ans)
print("Total questions:", len(questions))

x = np.zeros((len(questions), MAXLEN, len(chars)), dtype=np.bool_)
y = np.zeros((len(questions), DIGITS + 1, len(chars)), dtype=np.bool_)
for i, sentence in enumerate(questions):
    x[i] = ctable.encode(sentence, MAXLEN)
for i, sentence in enumerate(expected):
    y[i] = ctable.encode(sentence, DIGITS + 1)

indices = np.arange(len(y))
rng.shuffle(indices)
x = x[indices]
y = y[indices]
split_at = len(x) - len(x) // 10
(x_train, x_val) = x[:split_at], x[split_at:]
(y_train, y_val) = y[:split_at], y[split_at:]


def sequence_accuracy(y_true, y_pred):
    """Fraction of answers whose every character is right."""
    matches = ops.equal(ops.argmax(y_true, axis=-1), ops.argmax(y_pred, axis=-1))
    return ops.mean(ops.cast(ops.all(matches, axis=-1), "float32"))


print("Build model...")
num_layers = 1

model = keras.Sequential()
model.add(layers.Input((MAXLEN, len(chars))))
model.add(layers.LSTM(32))
model.add(layers.RepeatVector(DIGITS + 1))
for _ in range(num_layers):
    model.add(layers.LSTM(32, return_sequences=True))
model.add(layers.TimeDistributed(layers.Dense(len(chars), activation="softmax")))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy", sequence_accuracy])
model.summary()

epochs = 3
batch_size = 32

for epoch in range(1, epochs):
    print("Iteration", epoch)
    model.fit(x_train, y_train, batch_size=batch_size, epochs=1, validation_data=(x_val, y_val), verbose=2)
    for i in range(3):
        ind = rng.randint(0, len(x_val))
        rowx, rowy = x_val[np.array([ind])], y_val[np.array([ind])]
        preds = np.argmax(model.predict(rowx, verbose=0), axis=-1)
        q = ctable.decode(rowx[0])
        correct = ctable.decode(rowy[0])
        guess = ctable.decode(preds[0], calc_argmax=False)
        print("Q", q[::-1] if REVERSE else q, "T", correct, "☑ " + guess if correct == guess else "☒ " + guess)

# Re-encode the model's answers as one-hot characters with the backend helpers.
probs = model.predict(x_val[:8], verbose=0)
onehot = ops.convert_to_numpy(ops.one_hot(ops.argmax(probs, axis=-1), len(chars)))
print("exact matches:", ops.convert_to_numpy(sequence_accuracy(ops.convert_to_tensor(y_val[:8].astype("float32")), ops.convert_to_tensor(onehot))))
assert onehot.shape == (8, DIGITS + 1, len(chars))
