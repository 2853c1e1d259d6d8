"""Keras 3 era: training on augmented images from `ImageDataGenerator`.

Keras 3 removed `fit_generator`: the generator's `flow(...)` iterator is
passed straight to `fit` (and to `evaluate`). `ImageDataGenerator` lives
on in ported programs through `keras.preprocessing.image`; here it
standardizes with statistics from `datagen.fit` and applies small
rotations and shifts.
"""
import keras
from keras import layers
from keras.preprocessing.image import ImageDataGenerator

keras.utils.set_random_seed(11)

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255

datagen = ImageDataGenerator(featurewise_center=True,
                             featurewise_std_normalization=True,
                             rotation_range=5, width_shift_range=0.05,
                             height_shift_range=0.05)
datagen.fit(x_train)

model = keras.Sequential([
    keras.Input(shape=x_train.shape[1:]),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(4),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(datagen.flow(x_train, y_train, batch_size=32), epochs=6,
          verbose=2)
test_flow = datagen.flow(x_test, y_test, batch_size=32, shuffle=False)
results = model.evaluate(test_flow, verbose=0, return_dict=True)
print(f"RESULT accuracy={results['accuracy']:.4f}")
