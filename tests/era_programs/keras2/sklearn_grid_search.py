"""Keras 2 era: grid search over a Keras model with scikit-learn.

`keras.wrappers.scikit_learn.KerasClassifier(build_fn=...)` wraps a
function returning a compiled model; the grid mixes an argument of that
function (`units`) with one of `fit` (`epochs`), both routed by name.
`GridSearchCV` picks the best by 3-fold cross-validated accuracy, then
refits on all the training data. Data: two interleaved half-moons with
noise, made here. `np.random.seed` at the top makes the run repeatable,
as it did in Keras 2.
"""
from __future__ import print_function

import numpy as np
from sklearn.model_selection import GridSearchCV

from keras.layers import Dense
from keras.models import Sequential
from keras.optimizers import Adam
from keras.wrappers.scikit_learn import KerasClassifier

# Keras 2 drew every unseeded draw (initial weights, shuffling) from
# NumPy's global generator: this makes the run repeatable.
np.random.seed(1337)


def half_moons(n, seed):
    rng = np.random.RandomState(seed)
    label = rng.randint(0, 2, size=n)
    angle = rng.uniform(0, np.pi, size=n)
    x = np.stack([np.cos(angle) + label, np.sin(angle) * (1 - 2 * label)
                  + 0.5 * label], axis=1)
    x += rng.normal(0, 0.1, size=x.shape)
    return x.astype('float32'), label


def create_model(units=8):
    model = Sequential()
    model.add(Dense(units, input_dim=2, activation='tanh'))
    model.add(Dense(units, activation='tanh'))
    model.add(Dense(1, activation='sigmoid'))
    model.compile(loss='binary_crossentropy', optimizer=Adam(lr=0.02),
                  metrics=['accuracy'])
    return model


x_train, y_train = half_moons(300, seed=0)
x_test, y_test = half_moons(200, seed=1)

model = KerasClassifier(build_fn=create_model, batch_size=16, verbose=0)
grid = GridSearchCV(estimator=model,
                    param_grid={'units': [2, 16], 'epochs': [5, 30]}, cv=3)
result = grid.fit(x_train, y_train)
print('Best: %f using %s' % (result.best_score_, result.best_params_))
for mean, params in zip(result.cv_results_['mean_test_score'],
                        result.cv_results_['params']):
    print('%f with: %r' % (mean, params))
print('RESULT accuracy=%.4f' % grid.score(x_test, y_test))
