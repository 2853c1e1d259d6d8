"""Keras 3 era: a stateful LSTM echoing a bit stream across batches.

Streams of random bits arrive in chunks of `steps`; the batch size is
fixed in `keras.Input(batch_size=)` and row `i` of each batch continues
row `i` of the one before. The target is the bit seen `delay` steps
earlier, which for a chunk's first steps was in the previous batch. Keras
3 API: `stateful=True`, `fit(..., shuffle=False)` one pass at a time and
the layer's `reset_state()` between passes.
"""
import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(8)
streams, steps, chunks, delay = 16, 8, 20, 2


def chunked_streams(seed):
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, size=(streams, chunks * steps + delay))
    x, y = bits[:, delay:], bits[:, :-delay]

    def batches(a):
        a = a.reshape(streams, chunks, steps).transpose(1, 0, 2)
        return a.reshape(-1, steps, 1).astype("float32")
    return batches(x), batches(y)


x_train, y_train = chunked_streams(0)
x_test, y_test = chunked_streams(1)

inputs = keras.Input(shape=(steps, 1), batch_size=streams)
memory = layers.LSTM(24, return_sequences=True, stateful=True, name="echo")
outputs = layers.Dense(1, activation="sigmoid")(memory(inputs))
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
              loss="binary_crossentropy", metrics=["accuracy"])

for epoch in range(8):
    model.fit(x_train, y_train, batch_size=streams, epochs=1, verbose=0,
              shuffle=False)
    memory.reset_state()
loss, accuracy = model.evaluate(x_test, y_test, batch_size=streams,
                                verbose=0)
print(f"RESULT accuracy={accuracy:.4f}")
