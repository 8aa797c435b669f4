"""Character-level sequence-to-sequence LSTM with attention (after the tf.keras-era keras.io
lstm_seq2seq example and the Luong-attention variants people built on it): one-hot data built with
NumPy, encoder LSTM(return_state=True), decoder LSTM(initial_state=), layers.Attention and
tf.concat on KerasTensors, then separate inference models rebuilt from model.input / model.layers[i]
and a greedy decoding loop with np.argmax on predict().

Keras 3 conversion: tf.concat on KerasTensors (functional construction) becomes keras.ops.concatenate;
the rest (return_state, initial_state=, model.input / model.layers[i].output, predict in a loop)
runs on every backend as written."""
import numpy as np
import keras
from keras import layers, ops

num_samples = 64
latent_dim = 16
input_chars = list(" abcdefgh")
target_chars = list("\t\n ABCDEFGH")
num_encoder_tokens = len(input_chars)
num_decoder_tokens = len(target_chars)
max_encoder_seq_length = 8
max_decoder_seq_length = 10
input_token_index = {c: i for i, c in enumerate(input_chars)}
target_token_index = {c: i for i, c in enumerate(target_chars)}
reverse_target_char_index = {i: c for c, i in target_token_index.items()}

rng = np.random.RandomState(0)
input_texts, target_texts = [], []
for _ in range(num_samples):
    n = rng.randint(3, max_encoder_seq_length)
    text = "".join(rng.choice(input_chars[1:], n))
    input_texts.append(text)
    target_texts.append("\t" + text.upper() + "\n")

encoder_input_data = np.zeros((num_samples, max_encoder_seq_length, num_encoder_tokens), dtype="float32")
decoder_input_data = np.zeros((num_samples, max_decoder_seq_length, num_decoder_tokens), dtype="float32")
decoder_target_data = np.zeros((num_samples, max_decoder_seq_length, num_decoder_tokens), dtype="float32")
for i, (input_text, target_text) in enumerate(zip(input_texts, target_texts)):
    for t, char in enumerate(input_text):
        encoder_input_data[i, t, input_token_index[char]] = 1.0
    encoder_input_data[i, t + 1:, input_token_index[" "]] = 1.0
    for t, char in enumerate(target_text):
        decoder_input_data[i, t, target_token_index[char]] = 1.0
        if t > 0:
            decoder_target_data[i, t - 1, target_token_index[char]] = 1.0
    decoder_input_data[i, t + 1:, target_token_index[" "]] = 1.0
    decoder_target_data[i, t:, target_token_index[" "]] = 1.0

# Training model
encoder_inputs = keras.Input(shape=(None, num_encoder_tokens))
encoder = layers.LSTM(latent_dim, return_sequences=True, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)
encoder_states = [state_h, state_c]

decoder_inputs = keras.Input(shape=(None, num_decoder_tokens))
decoder_lstm = layers.LSTM(latent_dim, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
attention = layers.Attention()
context = attention([decoder_outputs, encoder_outputs])
decoder_combined = ops.concatenate([context, decoder_outputs], axis=-1)
decoder_dense = layers.Dense(num_decoder_tokens, activation="softmax")
decoder_outputs = decoder_dense(decoder_combined)

model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit([encoder_input_data, decoder_input_data], decoder_target_data, batch_size=16, epochs=2,
          validation_split=0.2, verbose=0)

# Inference models, rebuilt from the trained model's graph
encoder_inputs = model.input[0]
encoder_outputs, state_h_enc, state_c_enc = model.layers[2].output
encoder_model = keras.Model(encoder_inputs, [encoder_outputs, state_h_enc, state_c_enc])

decoder_inputs = model.input[1]
decoder_state_input_h = keras.Input(shape=(latent_dim,), name="input_3")
decoder_state_input_c = keras.Input(shape=(latent_dim,), name="input_4")
encoder_seq_input = keras.Input(shape=(None, latent_dim), name="input_5")
decoder_lstm = model.layers[3]
decoder_outputs, state_h_dec, state_c_dec = decoder_lstm(
    decoder_inputs, initial_state=[decoder_state_input_h, decoder_state_input_c])
context = attention([decoder_outputs, encoder_seq_input])
decoder_outputs = decoder_dense(ops.concatenate([context, decoder_outputs], axis=-1))
decoder_model = keras.Model(
    [decoder_inputs, encoder_seq_input, decoder_state_input_h, decoder_state_input_c],
    [decoder_outputs, state_h_dec, state_c_dec])


def decode_sequence(input_seq):
    enc_out, h, c = encoder_model.predict(input_seq, verbose=0)
    target_seq = np.zeros((1, 1, num_decoder_tokens))
    target_seq[0, 0, target_token_index["\t"]] = 1.0
    decoded_sentence = ""
    while True:
        output_tokens, h, c = decoder_model.predict([target_seq, enc_out, h, c], verbose=0)
        sampled_token_index = np.argmax(output_tokens[0, -1, :])
        sampled_char = reverse_target_char_index[sampled_token_index]
        decoded_sentence += sampled_char
        if sampled_char == "\n" or len(decoded_sentence) > max_decoder_seq_length:
            break
        target_seq = np.zeros((1, 1, num_decoder_tokens))
        target_seq[0, 0, sampled_token_index] = 1.0
    return decoded_sentence


for seq_index in range(2):
    input_seq = encoder_input_data[seq_index:seq_index + 1]
    print(repr(input_texts[seq_index]), "->", repr(decode_sequence(input_seq)))
