"""Keras 2 era: IMDB review sentiment with an LSTM.

Keras 2 API: `imdb.load_data(num_words=)`,
`keras.preprocessing.sequence.pad_sequences`, `LSTM(units, dropout=)`,
`fit(epochs=)` and `evaluate(..., batch_size=)`.
"""
from __future__ import print_function

from keras.datasets import imdb
from keras.layers import LSTM, Dense, Embedding
from keras.models import Sequential
from keras.preprocessing import sequence

max_features = 500
maxlen = 40
batch_size = 32

print('Loading data...')
(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=max_features)
print(len(x_train), 'train sequences;', len(x_test), 'test sequences')
x_train = sequence.pad_sequences(x_train, maxlen=maxlen)
x_test = sequence.pad_sequences(x_test, maxlen=maxlen)
print('x_train shape:', x_train.shape)

model = Sequential()
model.add(Embedding(max_features, 32))
model.add(LSTM(24, dropout=0.1))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam',
              metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=batch_size, epochs=5, verbose=2,
          validation_data=(x_test, y_test))
score, acc = model.evaluate(x_test, y_test, batch_size=batch_size,
                            verbose=0)
print('Test score:', score)
print('RESULT accuracy=%.4f' % acc)
