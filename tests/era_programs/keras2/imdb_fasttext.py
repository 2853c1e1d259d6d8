"""Keras 2 era: a fastText-style classifier of IMDB reviews.

Word vectors averaged by `GlobalAveragePooling1D` feed a logistic unit
(Joulin et al., 2016); the reviews are also given bigram features, as
fastText does: each pair of adjacent words gets its own token id above
the vocabulary. Keras 2 API: `imdb.load_data(num_words=)`,
`Embedding(input_length=)`, `fit(epochs=)`.
"""
from __future__ import print_function

from keras.datasets import imdb
from keras.layers import Dense, Embedding, GlobalAveragePooling1D
from keras.models import Sequential
from keras.preprocessing import sequence

num_words = 300
maxlen = 120
embedding_dims = 16


def with_bigrams(reviews, table):
    """Appends a token for each adjacent word pair found in `table`."""
    out = []
    for words in reviews:
        pairs = zip(words[:-1], words[1:])
        out.append(list(words) + [table[p] for p in pairs if p in table])
    return out


(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=num_words)
bigrams = set()
for words in x_train:
    bigrams.update(zip(words[:-1], words[1:]))
table = {pair: num_words + i for i, pair in enumerate(sorted(bigrams))}
max_features = num_words + len(table)
x_train = sequence.pad_sequences(with_bigrams(x_train, table), maxlen=maxlen)
x_test = sequence.pad_sequences(with_bigrams(x_test, table), maxlen=maxlen)
print('features with bigrams:', max_features)

model = Sequential()
model.add(Embedding(max_features, embedding_dims, input_length=maxlen))
model.add(GlobalAveragePooling1D())
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam',
              metrics=['accuracy'])
history = model.fit(x_train, y_train, batch_size=32, epochs=8, verbose=2,
                    validation_data=(x_test, y_test))
print('RESULT accuracy=%.4f' % history.history['val_acc'][-1])
