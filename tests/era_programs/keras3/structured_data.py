"""Keras 3 era: structured data with lookup, encoding and normalization
layers.

A table of customers with a string column (`city`), an integer column
(`plan`) and two numeric columns. `StringLookup` and `IntegerLookup` learn
their vocabularies with `adapt` and one-hot encode the categories,
`Normalization` standardizes the numbers, and a functional model with one
input per column predicts a binary label that depends on all of them.
"""
import numpy as np

import keras
from keras import layers

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)
cities = np.array(["paris", "lima", "oslo", "kyoto", "cairo"])


def table(n):
    city = rng.choice(cities, size=(n, 1))
    plan = rng.choice([10, 20, 30], size=(n, 1))
    numeric = rng.normal(size=(n, 2)) * [3.0, 40.0] + [1.0, 200.0]
    score = ((city[:, 0] == "oslo") | (city[:, 0] == "lima")) * 1.5 \
        + (plan[:, 0] == 30) * 1.0 + (numeric[:, 0] - 1.0) / 3.0 \
        - (numeric[:, 1] - 200.0) / 40.0
    label = (score > 0.8).astype("float32")
    return city, plan.astype("int64"), numeric.astype("float32"), label


city_train, plan_train, num_train, y_train = table(800)
city_test, plan_test, num_test, y_test = table(200)

city_lookup = layers.StringLookup(output_mode="one_hot")
city_lookup.adapt(city_train)
plan_lookup = layers.IntegerLookup(output_mode="one_hot")
plan_lookup.adapt(plan_train)
normalize = layers.Normalization()
normalize.adapt(num_train)


def encode(city, plan):
    return np.asarray(city_lookup(city)), np.asarray(plan_lookup(plan))


city_in = keras.Input(shape=(city_lookup.vocabulary_size(),), name="city")
plan_in = keras.Input(shape=(plan_lookup.vocabulary_size(),), name="plan")
num_in = keras.Input(shape=(2,), name="numeric")
features = layers.concatenate([city_in, plan_in, normalize(num_in)])
hidden = layers.Dense(16, activation="relu")(features)
output = layers.Dense(1, activation="sigmoid")(hidden)
model = keras.Model({"city": city_in, "plan": plan_in, "numeric": num_in},
                    output)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
              loss="binary_crossentropy", metrics=["accuracy"])

city_x, plan_x = encode(city_train, plan_train)
model.fit({"city": city_x, "plan": plan_x, "numeric": num_train}, y_train,
          batch_size=32, epochs=15, verbose=2)
city_x, plan_x = encode(city_test, plan_test)
results = model.evaluate({"city": city_x, "plan": plan_x,
                          "numeric": num_test}, y_test, verbose=0,
                         return_dict=True)
print(f"RESULT accuracy={results['accuracy']:.4f}")
