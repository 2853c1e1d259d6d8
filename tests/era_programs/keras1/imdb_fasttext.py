"""Keras 1 era: a fastText-style bag of embeddings on IMDB reviews.

The word vectors of a review are averaged and fed to a logistic unit.
Keras 1 programs averaged with `AveragePooling1D(pool_length=<review
length>)` followed by `Flatten()`, reading the length off
`model.output_shape`; `Embedding(input_length=)` fixes it.
"""
from __future__ import print_function

import numpy as np

np.random.seed(99)

from keras.datasets import imdb
from keras.layers import Dense, Embedding, Flatten
from keras.layers.pooling import AveragePooling1D
from keras.models import Sequential
from keras.preprocessing import sequence

max_features = 1000
maxlen = 80
embedding_dims = 16

(X_train, y_train), (X_test, y_test) = imdb.load_data(nb_words=max_features)
X_train = sequence.pad_sequences(X_train, maxlen=maxlen)
X_test = sequence.pad_sequences(X_test, maxlen=maxlen)

model = Sequential()
model.add(Embedding(max_features, embedding_dims, input_length=maxlen))
model.add(AveragePooling1D(pool_length=model.output_shape[1]))
model.add(Flatten())
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam',
              metrics=['accuracy'])
history = model.fit(X_train, y_train, batch_size=32, nb_epoch=8, verbose=2,
                    validation_data=(X_test, y_test))
print('last epoch training accuracy:', history.history['acc'][-1])
print('RESULT accuracy=%.4f' % history.history['val_acc'][-1])
