"""Keras 2 era: a stateful LSTM tracking a running parity over chunks.

Long streams of random bits are cut into chunks; row `i` of batch `c + 1`
continues row `i` of batch `c`. The target at each step is whether the
last `window` bits (which may reach back into the previous chunk) hold an
odd number of ones, so the state has to be carried across batches. Keras
2 style: the functional API with `Input(batch_shape=)`, `stateful=True`,
one `fit(epochs=1, shuffle=False)` per pass followed by
`model.reset_states()`.
"""
from __future__ import print_function

import numpy as np

from keras.layers import LSTM, Dense, Input, TimeDistributed
from keras.models import Model
from keras.optimizers import Adam

batch_size = 16
tsteps = 8
chunks = 20
window = 2
passes = 8


def make_streams(seed):
    rng = np.random.RandomState(seed)
    bits = rng.randint(0, 2, size=(batch_size, chunks * tsteps + window))
    sums = sum(bits[:, k:k + chunks * tsteps] for k in range(1, window + 1))
    x = bits[:, window:]
    y = sums % 2
    # Reorder so that batch c holds chunk c of every stream.
    x = x.reshape(batch_size, chunks, tsteps).swapaxes(0, 1)
    y = y.reshape(batch_size, chunks, tsteps).swapaxes(0, 1)
    return (x.reshape(-1, tsteps, 1).astype('float32'),
            y.reshape(-1, tsteps, 1).astype('float32'))


x_train, y_train = make_streams(0)
x_test, y_test = make_streams(1)

bits = Input(batch_shape=(batch_size, tsteps, 1))
state = LSTM(32, return_sequences=True, stateful=True)(bits)
odd = TimeDistributed(Dense(1, activation='sigmoid'))(state)
model = Model(bits, odd)
model.compile(loss='binary_crossentropy', optimizer=Adam(lr=0.01),
              metrics=['accuracy'])

for i in range(passes):
    history = model.fit(x_train, y_train, batch_size=batch_size, epochs=1,
                        verbose=0, shuffle=False)
    print('pass', i + 1, 'accuracy', history.history['acc'][-1])
    model.reset_states()

loss, accuracy = model.evaluate(x_test, y_test, batch_size=batch_size,
                                verbose=0)
print('RESULT accuracy=%.4f' % accuracy)
