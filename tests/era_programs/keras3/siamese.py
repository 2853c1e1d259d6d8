"""Keras 3 era: a siamese network deciding whether two digits match.

A shared embedding model runs on both images; a `layers.Lambda` with
`keras.ops` gives the euclidean distance (kept above `epsilon()` under
the square root), and the contrastive loss is a closure over its
margin. Pairs closer than 0.5 are called "same".
"""
import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(7)


def euclidean_distance(vects):
    x, y = vects
    sum_square = ops.sum(ops.square(x - y), axis=1, keepdims=True)
    return ops.sqrt(ops.maximum(sum_square, keras.config.epsilon()))


def contrastive(margin=1.0):
    def contrastive_loss(y_true, y_pred):
        square_pred = ops.square(y_pred)
        margin_square = ops.square(ops.maximum(margin - y_pred, 0.0))
        return ops.mean(y_true * square_pred
                        + (1 - y_true) * margin_square)
    return contrastive_loss


def make_pairs(x, y, rng):
    groups = [np.where(y == c)[0] for c in range(10)]
    a, b, same = [], [], []
    for i in range(len(x)):
        partners = groups[y[i]][groups[y[i]] != i]
        other = groups[(y[i] + rng.integers(1, 10)) % 10]
        a += [x[i], x[i]]
        b += [x[rng.choice(partners)], x[rng.choice(other)]]
        same += [1.0, 0.0]
    return np.array(a), np.array(b), np.array(same, dtype="float32")


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
rng = np.random.default_rng(0)
train_a, train_b, train_same = make_pairs(x_train, y_train, rng)
test_a, test_b, test_same = make_pairs(x_test, y_test, rng)

embedding = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(32, activation="relu"),
], name="embedding")
left = keras.Input(shape=(28, 28))
right = keras.Input(shape=(28, 28))
distance = layers.Lambda(euclidean_distance, output_shape=(1,))(
    [embedding(left), embedding(right)])
siamese = keras.Model(inputs=[left, right], outputs=distance)
siamese.compile(loss=contrastive(margin=1.0), optimizer="rmsprop")
siamese.fit([train_a, train_b], train_same, batch_size=64, epochs=6,
            verbose=2, validation_data=([test_a, test_b], test_same))

predicted_same = siamese.predict([test_a, test_b], verbose=0)[:, 0] < 0.5
print(f"RESULT accuracy={np.mean(predicted_same == (test_same == 1)):.4f}")
