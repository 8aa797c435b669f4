"""Hand conversion of the TensorFlow "Neural machine translation with attention" tutorial to
multi-backend Keras 3.

TF ops in the layers and the loss become keras.ops (tf.nn.tanh / softmax / reduce_sum / concat /
expand_dims / reshape / logical_not / equal / cast); the encoder's initial state is a zeros
tensor of the backend; reduction='none' becomes reduction=None. train_step takes the gradient per
backend over the encoder's and decoder's trainable variables: TensorFlow keeps the tape (the
teacher-forcing loop traced under tf.function); JAX differentiates a pure function of their
values (jax.value_and_grad under keras.StatelessScope, the Python loop unrolled); PyTorch calls
torch.autograd.grad. tf.train.Checkpoint does not track Keras 3 models on JAX and PyTorch (not
TensorFlow Trackables): the encoder's and decoder's weights are saved to .weights.h5 files every
second epoch and the last ones loaded back. pad_sequences is keras.utils.pad_sequences; the
Tokenizer stays tf.keras.preprocessing.text.Tokenizer (Keras 3 keeps it there while TensorFlow is
installed).

The original: TensorFlow tutorial "Neural machine translation with attention" (tf.keras era, TF 2.0-2.5), on a
synthetic parallel corpus.

tf.keras.preprocessing.text.Tokenizer(filters='') + pad_sequences(padding='post'); an Encoder and a
Decoder keras.Model subclass with GRU(return_sequences=True, return_state=True,
recurrent_initializer='glorot_uniform') and an initialize_hidden_state() of tf.zeros; a
BahdanauAttention layer (tf.expand_dims, tf.nn.tanh, tf.nn.softmax(axis=1), tf.reduce_sum);
a masked loss_function (tf.math.logical_not(tf.math.equal(real, 0)), tf.cast, *=, tf.reduce_mean);
tf.train.Checkpoint(optimizer=, encoder=, decoder=) saved with a prefix and restored from
tf.train.latest_checkpoint; a @tf.function train_step whose tape runs a teacher-forcing Python loop
over targ.shape[1] and takes the gradient over encoder.trainable_variables +
decoder.trainable_variables; greedy evaluate() with tf.argmax(predictions[0]).numpy()."""
import os
import tempfile
import time

import keras
import numpy as np
import tensorflow as tf
from keras import ops

np.random.seed(0)
keras.utils.set_random_seed(0)

# Synthetic "Spanish -> English" pairs: the English sentence is a word-by-word dictionary
# translation of the Spanish one, reversed.
spa_words = ["hola", "gato", "perro", "casa", "rojo", "azul", "grande", "pequeno", "come", "corre"]
eng_words = ["hello", "cat", "dog", "house", "red", "blue", "big", "small", "eats", "runs"]
lexicon = dict(zip(spa_words, eng_words))


def make_pair():
    n = np.random.randint(2, 4)
    spa = list(np.random.choice(spa_words, n))
    eng = [lexicon[w] for w in reversed(spa)]
    return "<start> " + " ".join(spa) + " <end>", "<start> " + " ".join(eng) + " <end>"


pairs = [make_pair() for _ in range(64)]
inp_lang_text = [p[0] for p in pairs]
targ_lang_text = [p[1] for p in pairs]


def tokenize(lang):
    lang_tokenizer = tf.keras.preprocessing.text.Tokenizer(filters='')
    lang_tokenizer.fit_on_texts(lang)
    tensor = lang_tokenizer.texts_to_sequences(lang)
    tensor = keras.utils.pad_sequences(tensor, padding='post')
    return tensor, lang_tokenizer


input_tensor, inp_lang = tokenize(inp_lang_text)
target_tensor, targ_lang = tokenize(targ_lang_text)
max_length_targ, max_length_inp = target_tensor.shape[1], input_tensor.shape[1]
print("input", input_tensor.shape, "target", target_tensor.shape)

BUFFER_SIZE = len(input_tensor)
BATCH_SIZE = 64
steps_per_epoch = len(input_tensor) // BATCH_SIZE
embedding_dim = 32
units = 64
vocab_inp_size = len(inp_lang.word_index) + 1
vocab_tar_size = len(targ_lang.word_index) + 1

dataset = tf.data.Dataset.from_tensor_slices((input_tensor, target_tensor)).shuffle(BUFFER_SIZE)
dataset = dataset.batch(BATCH_SIZE, drop_remainder=True)

example_input_batch, example_target_batch = [np.asarray(t) for t in next(iter(dataset))]
print(example_input_batch.shape, example_target_batch.shape)


class Encoder(keras.Model):
    def __init__(self, vocab_size, embedding_dim, enc_units, batch_sz):
        super(Encoder, self).__init__()
        self.batch_sz = batch_sz
        self.enc_units = enc_units
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = keras.layers.GRU(self.enc_units,
                                       return_sequences=True,
                                       return_state=True,
                                       recurrent_initializer='glorot_uniform')

    def call(self, x, hidden):
        x = self.embedding(x)
        output, state = self.gru(x, initial_state=hidden)
        return output, state

    def initialize_hidden_state(self):
        return ops.zeros((self.batch_sz, self.enc_units))


encoder = Encoder(vocab_inp_size, embedding_dim, units, BATCH_SIZE)

# sample input
sample_hidden = encoder.initialize_hidden_state()
sample_output, sample_hidden = encoder(example_input_batch, sample_hidden)
print('Encoder output shape: (batch size, sequence length, units) {}'.format(sample_output.shape))
print('Encoder Hidden state shape: (batch size, units) {}'.format(sample_hidden.shape))


class BahdanauAttention(keras.layers.Layer):
    def __init__(self, units):
        super(BahdanauAttention, self).__init__()
        self.W1 = keras.layers.Dense(units)
        self.W2 = keras.layers.Dense(units)
        self.V = keras.layers.Dense(1)

    def call(self, query, values):
        # query hidden state shape == (batch_size, hidden size)
        # query_with_time_axis shape == (batch_size, 1, hidden size)
        query_with_time_axis = ops.expand_dims(query, 1)

        # score shape == (batch_size, max_length, 1)
        score = self.V(ops.tanh(
            self.W1(query_with_time_axis) + self.W2(values)))

        # attention_weights shape == (batch_size, max_length, 1)
        attention_weights = ops.softmax(score, axis=1)

        # context_vector shape after sum == (batch_size, hidden_size)
        context_vector = attention_weights * values
        context_vector = ops.sum(context_vector, axis=1)

        return context_vector, attention_weights


attention_layer = BahdanauAttention(10)
attention_result, attention_weights = attention_layer(sample_hidden, sample_output)
print("Attention result shape: (batch size, units) {}".format(attention_result.shape))


class Decoder(keras.Model):
    def __init__(self, vocab_size, embedding_dim, dec_units, batch_sz):
        super(Decoder, self).__init__()
        self.batch_sz = batch_sz
        self.dec_units = dec_units
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = keras.layers.GRU(self.dec_units,
                                       return_sequences=True,
                                       return_state=True,
                                       recurrent_initializer='glorot_uniform')
        self.fc = keras.layers.Dense(vocab_size)

        # used for attention
        self.attention = BahdanauAttention(self.dec_units)

    def call(self, x, hidden, enc_output):
        # enc_output shape == (batch_size, max_length, hidden_size)
        context_vector, attention_weights = self.attention(hidden, enc_output)

        # x shape after passing through embedding == (batch_size, 1, embedding_dim)
        x = self.embedding(x)

        # x shape after concatenation == (batch_size, 1, embedding_dim + hidden_size)
        x = ops.concatenate([ops.expand_dims(context_vector, 1), x], axis=-1)

        # passing the concatenated vector to the GRU
        output, state = self.gru(x)

        # output shape == (batch_size * 1, hidden_size)
        output = ops.reshape(output, (-1, output.shape[2]))

        # output shape == (batch_size, vocab)
        x = self.fc(output)

        return x, state, attention_weights


decoder = Decoder(vocab_tar_size, embedding_dim, units, BATCH_SIZE)

sample_decoder_output, _, _ = decoder(keras.random.uniform((BATCH_SIZE, 1)),
                                      sample_hidden, sample_output)
print('Decoder output shape: (batch_size, vocab size) {}'.format(sample_decoder_output.shape))

optimizer = keras.optimizers.Adam()
loss_object = keras.losses.SparseCategoricalCrossentropy(
    from_logits=True, reduction=None)


def loss_function(real, pred):
    mask = ops.logical_not(ops.equal(real, 0))
    loss_ = loss_object(real, pred)

    mask = ops.cast(mask, dtype=loss_.dtype)
    loss_ *= mask

    return ops.mean(loss_)


checkpoint_dir = os.path.join(tempfile.mkdtemp(), 'training_checkpoints')
os.makedirs(checkpoint_dir)
saved_epochs = []


def forward_loss(inp, targ, enc_hidden):
    loss = 0
    enc_output, enc_hidden = encoder(inp, enc_hidden)

    dec_hidden = enc_hidden

    dec_input = ops.expand_dims(ops.convert_to_tensor([targ_lang.word_index['<start>']] * BATCH_SIZE), 1)

    # Teacher forcing - feeding the target as the next input
    for t in range(1, targ.shape[1]):
        # passing enc_output to the decoder
        predictions, dec_hidden, _ = decoder(dec_input, dec_hidden, enc_output)

        loss += loss_function(targ[:, t], predictions)

        # using teacher forcing
        dec_input = ops.expand_dims(targ[:, t], 1)
    return loss


def gradients_of_loss(inp, targ, enc_hidden, variables):
    if keras.backend.backend() == "jax":
        import jax

        others = encoder.non_trainable_variables + decoder.non_trainable_variables

        def loss_of(values):
            mapping = list(zip(variables, values)) + [(v, v.value) for v in others]
            with keras.StatelessScope(state_mapping=mapping):
                return forward_loss(inp, targ, enc_hidden)

        return jax.value_and_grad(loss_of)([v.value for v in variables])
    if keras.backend.backend() == "torch":
        import torch

        loss = forward_loss(inp, targ, enc_hidden)
        gradients = torch.autograd.grad(loss, [v.value for v in variables])
        return loss.detach(), list(gradients)
    with tf.GradientTape() as tape:
        loss = forward_loss(inp, targ, enc_hidden)
    return loss, tape.gradient(loss, variables)


def train_step(inp, targ, enc_hidden):
    variables = encoder.trainable_variables + decoder.trainable_variables

    loss, gradients = gradients_of_loss(inp, targ, enc_hidden, variables)

    batch_loss = (loss / int(targ.shape[1]))

    optimizer.apply_gradients(zip(gradients, variables))

    return batch_loss


if keras.backend.backend() == "tensorflow":
    train_step = tf.function(train_step)


EPOCHS = 2

for epoch in range(EPOCHS):
    start = time.time()

    enc_hidden = encoder.initialize_hidden_state()
    total_loss = 0

    for (batch, (inp, targ)) in enumerate(dataset.take(steps_per_epoch)):
        if keras.backend.backend() != "tensorflow":
            inp, targ = np.asarray(inp), np.asarray(targ)
        batch_loss = train_step(inp, targ, enc_hidden)
        total_loss += batch_loss

        if batch % 5 == 0:
            print('Epoch {} Batch {} Loss {:.4f}'.format(epoch + 1, batch, float(batch_loss)))
    # saving (checkpoint) the model every 2 epochs
    if (epoch + 1) % 2 == 0:
        encoder.save_weights(os.path.join(checkpoint_dir, "encoder-%d.weights.h5" % (epoch + 1)))
        decoder.save_weights(os.path.join(checkpoint_dir, "decoder-%d.weights.h5" % (epoch + 1)))
        saved_epochs.append(epoch + 1)

    print('Epoch {} Loss {:.4f}'.format(epoch + 1, float(total_loss) / steps_per_epoch))
    print('Time taken for 1 epoch {} sec\n'.format(time.time() - start))


def evaluate(sentence):
    attention_plot = np.zeros((max_length_targ, max_length_inp))

    inputs = [inp_lang.word_index[i] for i in sentence.split(' ')]
    inputs = keras.utils.pad_sequences([inputs],
                                                           maxlen=max_length_inp,
                                                           padding='post')
    inputs = ops.convert_to_tensor(inputs)

    result = ''

    hidden = [ops.zeros((1, units))]
    enc_out, enc_hidden = encoder(inputs, hidden)

    dec_hidden = enc_hidden
    dec_input = ops.expand_dims(ops.convert_to_tensor([targ_lang.word_index['<start>']]), 0)

    for t in range(max_length_targ):
        predictions, dec_hidden, attention_weights = decoder(dec_input,
                                                             dec_hidden,
                                                             enc_out)

        # storing the attention weights to plot later on
        attention_weights = ops.reshape(attention_weights, (-1, ))
        attention_plot[t] = ops.convert_to_numpy(attention_weights)

        predicted_id = int(ops.convert_to_numpy(ops.argmax(predictions[0])))

        result += targ_lang.index_word[predicted_id] + ' '

        if targ_lang.index_word[predicted_id] == '<end>':
            return result, sentence, attention_plot

        # the predicted ID is fed back into the model
        dec_input = ops.expand_dims(ops.convert_to_tensor([predicted_id]), 0)

    return result, sentence, attention_plot


# restoring the latest checkpoint in checkpoint_dir
encoder.load_weights(os.path.join(checkpoint_dir, "encoder-%d.weights.h5" % saved_epochs[-1]))
decoder.load_weights(os.path.join(checkpoint_dir, "decoder-%d.weights.h5" % saved_epochs[-1]))
print("restored epoch", saved_epochs[-1])

sentence = "<start> hola gato grande <end>"
result, sentence, attention_plot = evaluate(sentence)
print('Input: %s' % (sentence))
print('Predicted translation: {}'.format(result))
print("attention plot", attention_plot.shape, float(attention_plot[0].sum()))
