"""Keras 1 era: choosing a network's width with scikit-learn's grid search.

`KerasClassifier(build_fn=...)` from `keras.wrappers.scikit_learn` makes
a Keras model a scikit-learn estimator; its other arguments ("sk_params",
here Keras 1's `nb_epoch`) go to the build function or to `fit`.
`GridSearchCV` tries each hidden width and batch size with 3-fold
cross-validation, and the best estimator scores the held-out data (the
wrapper's `score` is the model's accuracy). The data: three Gaussian
clouds in 10 dimensions, made here.
"""
from __future__ import print_function

import numpy as np

np.random.seed(0)

from keras.layers import Dense
from keras.models import Sequential
from keras.wrappers.scikit_learn import KerasClassifier
from sklearn.model_selection import GridSearchCV

nb_features = 10
nb_classes = 3


def make_clouds(count, rng):
    centers = rng.normal(0, 2.0, size=(nb_classes, nb_features))
    y = rng.randint(0, nb_classes, size=count)
    X = centers[y] + rng.normal(0, 1, size=(count, nb_features))
    return X.astype('float32'), y


def make_model(hidden=8):
    model = Sequential()
    model.add(Dense(hidden, input_dim=nb_features, activation='relu'))
    model.add(Dense(nb_classes, activation='softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='adam',
                  metrics=['accuracy'])
    return model


rng = np.random.RandomState(4)
X, y = make_clouds(360, rng)
X_train, y_train, X_test, y_test = X[:240], y[:240], X[240:], y[240:]

classifier = KerasClassifier(build_fn=make_model, nb_epoch=10, verbose=0)
grid = GridSearchCV(classifier, param_grid={'hidden': [4, 16],
                                            'batch_size': [8, 32]}, cv=3)
grid.fit(X_train, y_train)
print('best parameters:', grid.best_params_)
print('best cross-validated accuracy: %.4f' % grid.best_score_)
print('RESULT accuracy=%.4f' % grid.score(X_test, y_test))
