"""`lamina.preprocessing`: Keras 2's `keras.preprocessing` modules.

`sequence` (pad_sequences, skipgrams, make_sampling_table,
TimeseriesGenerator), `text` (Tokenizer, one_hot, hashing_trick,
text_to_word_sequence) and `image` (ImageDataGenerator, load_img,
img_to_array, array_to_img, save_img). They need only NumPy; images on
disk need Pillow, and affine augmentation uses SciPy when installed.

For the Keras 3 preprocessing layers (Rescaling, Normalization, ...) see
`lamina.layers`.
"""

from lamina.preprocessing import image, sequence, text

__all__ = ["image", "sequence", "text"]
