"""Keras 3 era: text classification from raw strings with
`TextVectorization`.

The layer learns its vocabulary from the training sentences with `adapt`
(lower-casing and stripping punctuation), turns sentences into padded
token ids, and an Embedding / pooling / Dense model learns which words
carry the label. The sentences are made inline: each mixes filler words
with words tied to its class.
"""
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(21)
rng = np.random.default_rng(21)

positive = ["great", "wonderful", "superb", "lovely", "fine", "excellent"]
negative = ["awful", "dreadful", "poor", "boring", "terrible", "weak"]
filler = ["the", "film", "was", "a", "story", "with", "actors", "and",
          "music", "plot", "it", "really", "quite", "scenes", "ending"]


def sentences(n):
    texts, labels = [], []
    for _ in range(n):
        label = int(rng.integers(0, 2))
        words = list(rng.choice(filler, size=int(rng.integers(5, 12))))
        cue = positive if label else negative
        for word in rng.choice(cue, size=2):
            words.insert(int(rng.integers(0, len(words) + 1)), word)
        text = " ".join(words).capitalize() + rng.choice([".", "!", "?"])
        texts.append(text)
        labels.append(label)
    return np.array(texts), np.array(labels, "float32")


x_train, y_train = sentences(400)
x_test, y_test = sentences(100)

vectorize = layers.TextVectorization(max_tokens=100,
                                     output_mode="int",
                                     output_sequence_length=16)
vectorize.adapt(x_train)
assert vectorize.get_vocabulary()[:2] == ["", "[UNK]"]

train_ids = vectorize(x_train)
test_ids = vectorize(x_test)

model = keras.Sequential([
    keras.Input(shape=(16,), dtype="int64"),
    layers.Embedding(vectorize.vocabulary_size(), 16, mask_zero=True),
    layers.GlobalAveragePooling1D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.02),
              loss="binary_crossentropy", metrics=["accuracy"])
model.fit(train_ids, y_train, batch_size=32, epochs=8, verbose=2)
results = model.evaluate(test_ids, y_test, verbose=0, return_dict=True)
print(f"RESULT accuracy={results['accuracy']:.4f}")
