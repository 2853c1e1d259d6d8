"""Keras 1 era: a stateful LSTM that echoes a bit stream with a delay.

Several long streams of random bits are cut into chunks of `tsteps`
steps; row `i` of each batch continues row `i` of the batch before, so
with `stateful=True` the LSTM carries its state from chunk to chunk. The
target at each step is the bit seen `delay` steps earlier: for the first
steps of a chunk it lies in the previous chunk, which only a stateful
network can know. Keras 1 style: `batch_input_shape=`, `fit(nb_epoch=1,
shuffle=False)` in a loop with `model.reset_states()` after each pass.
"""
from __future__ import print_function

import numpy as np

np.random.seed(5)

from keras.layers import LSTM, Dense, TimeDistributed
from keras.models import Sequential
from keras.optimizers import Adam

batch_size = 16  # parallel streams
tsteps = 8
chunks = 20      # chunks per stream
delay = 2
epochs = 8


def make_streams(rng):
    bits = rng.randint(0, 2, size=(batch_size, chunks * tsteps + delay))
    inputs = bits[:, delay:]
    targets = bits[:, :-delay]
    # Chunk c of every stream forms batch c: rows (c * batch_size + i).
    X = inputs.reshape(batch_size, chunks, tsteps).transpose(1, 0, 2)
    y = targets.reshape(batch_size, chunks, tsteps).transpose(1, 0, 2)
    X = X.reshape(-1, tsteps, 1).astype('float32')
    y = y.reshape(-1, tsteps, 1).astype('float32')
    return X, y


rng = np.random.RandomState(0)
X_train, y_train = make_streams(rng)
X_test, y_test = make_streams(rng)

model = Sequential()
model.add(LSTM(24, batch_input_shape=(batch_size, tsteps, 1),
               return_sequences=True, stateful=True))
model.add(TimeDistributed(Dense(1, activation='sigmoid')))
model.compile(loss='binary_crossentropy', optimizer=Adam(lr=0.01),
              metrics=['accuracy'])

for epoch in range(epochs):
    print('Epoch', epoch + 1, '/', epochs)
    model.fit(X_train, y_train, batch_size=batch_size, nb_epoch=1,
              verbose=2, shuffle=False)
    model.reset_states()

loss, accuracy = model.evaluate(X_test, y_test, batch_size=batch_size,
                                verbose=0)
print('RESULT accuracy=%.4f' % accuracy)
