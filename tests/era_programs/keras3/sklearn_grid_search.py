"""Keras 3 era: a grid search with `keras.wrappers.SKLearnClassifier`.

Keras 3 removed Keras 2's `KerasClassifier(build_fn=...)`; since 3.5 it
ships `keras.wrappers.SKLearnClassifier(model=, model_kwargs=,
fit_kwargs=)`, whose `model` function receives `X` and the one-hot `y`
and returns a compiled model. `GridSearchCV` varies `model_kwargs`
(whole dicts), and `fit` arguments pass through `GridSearchCV.fit`.
Data: points inside or outside a ring, made with NumPy.
"""
import keras
import numpy as np
from keras import layers
from keras.wrappers import SKLearnClassifier
from sklearn.model_selection import GridSearchCV

keras.utils.set_random_seed(12)


def ring(n, rng):
    x = rng.uniform(-1.5, 1.5, size=(n, 2)).astype("float32")
    y = np.where(np.hypot(x[:, 0], x[:, 1]) < 1.0, "inside", "outside")
    return x, y


def build_model(X, y, width=8, learning_rate=0.02):
    model = keras.Sequential([
        keras.Input(shape=(X.shape[1],)),
        layers.Dense(width, activation="relu"),
        layers.Dense(width, activation="relu"),
        layers.Dense(y.shape[1], activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="categorical_crossentropy")
    return model


rng = np.random.default_rng(0)
x_train, y_train = ring(300, rng)
x_test, y_test = ring(200, rng)

search = GridSearchCV(
    SKLearnClassifier(model=build_model),
    param_grid={"model_kwargs": [{"width": 2}, {"width": 16}]},
    cv=3,
)
search.fit(x_train, y_train, epochs=15, batch_size=32, verbose=0)
print("best:", search.best_params_, f"cv accuracy {search.best_score_:.3f}")
print(f"RESULT accuracy={search.score(x_test, y_test):.4f}")
