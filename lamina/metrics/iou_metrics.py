"""Intersection-over-Union metrics, from an accumulated confusion matrix.

For class `c`, `IoU = tp / (tp + fp + fn)`, with the counts read off the
(weighted) confusion matrix of all samples seen. Classes that never occur
(neither labeled nor predicted) are left out of the mean.
"""

from lamina import backend
from lamina.metrics import metrics_utils as utils
from lamina.metrics.metric import Metric
from lamina.ops._bind import B


class _IoUBase(Metric):
    """Accumulates the confusion matrix `total_cm` (rows: labels).

    Args:
        num_classes: the number of classes.
        name: the metric's name.
        dtype: the dtype of the state; default 'float32'.
        ignore_class: a label id (e.g. 255 or -1) whose samples are left
            out.
        sparse_y_true: labels are class ids; if False, scores or one-hot
            vectors along `axis` (their arg-max is taken).
        sparse_y_pred: the same for predictions.
        axis: the class axis of dense inputs.
    """

    _direction = "up"  # for callbacks' mode='auto'

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        # float32 by default, as Keras: counts of large images overflow
        # float16, and float weights must not be truncated.
        super().__init__(name=name, dtype=dtype or "float32")
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) \
                or num_classes < 1:
            raise ValueError("Argument `num_classes` must be a positive "
                             f"integer. Received: num_classes="
                             f"{num_classes!r}")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            (num_classes, num_classes), "zeros", name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds one batch to the confusion matrix.

        Args:
            y_true: class ids (any shape, flattened), or dense vectors when
                `sparse_y_true=False`.
            y_pred: the same for predictions.
            sample_weight: None, a scalar, or one weight per id (flattened).
        """
        y_true = B.convert_to_tensor(y_true)
        y_pred = B.convert_to_tensor(y_pred)
        if not self.sparse_y_true:
            y_true = B.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = B.argmax(y_pred, axis=self.axis)
        shape = B.shape(y_true)
        y_true = B.reshape(B.cast(y_true, self.dtype), (-1,))
        y_pred = B.reshape(B.cast(y_pred, self.dtype), (-1,))
        if B.shape(y_true) != B.shape(y_pred):
            raise ValueError(f"{type(self).__name__}: `y_true` has "
                             f"{B.shape(y_true)[0]} class ids but `y_pred` "
                             f"has {B.shape(y_pred)[0]}.")
        if sample_weight is None:
            weight = B.ones_like(y_true)
        else:
            weight = B.convert_to_tensor(sample_weight, dtype=self.dtype)
            w_shape = B.shape(weight)
            if 0 < len(w_shape) < len(shape) and \
                    w_shape == shape[:len(w_shape)]:
                # (batch,) weights of (batch, ...) ids weight whole samples.
                weight = utils.broadcast_weights(weight, shape, self.dtype)
            if w_shape:
                weight = B.reshape(weight, (-1,))
            weight = utils.broadcast_weights(weight, B.shape(y_true),
                                             self.dtype)
        if self.ignore_class is not None:
            valid = B.cast(B.not_equal(y_true, self.ignore_class), self.dtype)
            weight = B.multiply(weight, valid)
        matrix = utils.confusion_matrix(y_true, y_pred, self.num_classes,
                                        weights=weight, dtype=self.dtype)
        self.total_cm.assign(B.add(self.total_cm.value, matrix))


class IoU(_IoUBase):
    """The mean IoU of the classes in `target_class_ids`.

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids to average over (one id gives that
            class's IoU).
        name: default 'io_u'.
        dtype: the dtype of the state; default 'float32'.
        ignore_class: a label id whose samples are left out.
        sparse_y_true: labels are class ids (else dense, arg-maxed).
        sparse_y_pred: predictions are class ids (else dense, arg-maxed).
        axis: the class axis of dense inputs.

    Example:

    >>> m = IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_true=True, sparse_y_pred=True,
                 axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype,
                         ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)
        target_class_ids = list(target_class_ids)
        bad = [i for i in target_class_ids if not 0 <= i < num_classes]
        if not target_class_ids or bad:
            raise ValueError(f"Target class ids {bad or target_class_ids} "
                             f"are out of range, which is [0, {num_classes})"
                             "; expected a non-empty list of class ids.")
        self.target_class_ids = target_class_ids

    def result(self):
        """The mean IoU over the target classes that occurred."""
        cm = self.total_cm.value
        labeled, predicted = B.sum(cm, axis=1), B.sum(cm, axis=0)
        diagonal = B.sum(B.multiply(cm, B.eye(self.num_classes,
                                              dtype=self.dtype)), axis=1)
        # labeled + predicted - diagonal = tp + fp + fn
        union = B.subtract(B.add(labeled, predicted), diagonal)
        ids = B.convert_to_tensor(self.target_class_ids, dtype="int32")
        diagonal, union = B.take(diagonal, ids), B.take(union, ids)
        present = B.sum(B.cast(B.greater(union, 1e-9), self.dtype))
        eps = backend.epsilon()
        iou = B.divide(diagonal, B.add(union, eps))
        return B.divide(B.sum(iou), B.add(present, eps))

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids,
                "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class BinaryIoU(IoU):
    """IoU of binary predictions: scores `>= threshold` are class 1.

    Args:
        target_class_ids: `[0]`, `[1]` or `[0, 1]` (their mean).
        threshold: the score from which a prediction is class 1.
        name: default 'binary_io_u'.
        dtype: the dtype of the state; default 'float32'.

    Example:

    >>> m = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None,
                 dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Thresholds `y_pred`, then adds the batch (see `IoU`)."""
        y_pred = B.convert_to_tensor(y_pred, dtype=self.dtype)
        y_pred = B.cast(B.greater_equal(y_pred, self.threshold), self.dtype)
        super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype,
                "target_class_ids": self.target_class_ids,
                "threshold": self.threshold}


class MeanIoU(IoU):
    """The mean IoU over all classes that occurred.

    Args:
        num_classes: the number of classes.
        name: default 'mean_io_u'.
        dtype: the dtype of the state; default 'float32'.
        ignore_class: a label id whose samples are left out.
        sparse_y_true: labels are class ids (else dense, arg-maxed).
        sparse_y_pred: predictions are class ids (else dense, arg-maxed).
        axis: the class axis of dense inputs.

    Example:

    >>> m = MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1],
    ...                sample_weight=[0.3, 0.3, 0.3, 0.1])
    >>> round(float(m.result()), 4)
    0.2381
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, list(range(num_classes))
                         if isinstance(num_classes, int) else [0],
                         name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["target_class_ids"]
        return config


class OneHotIoU(IoU):
    """`IoU` for one-hot labels and score vectors (both arg-maxed).

    Args:
        num_classes: the number of classes.
        target_class_ids: the class ids to average over.
        name: default 'one_hot_io_u'.
        dtype: the dtype of the state; default 'float32'.
        ignore_class: a class id whose samples are left out.
        sparse_y_pred: predictions are class ids instead of scores.
        axis: the class axis.
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None,
                 ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, target_class_ids, name=name,
                         dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred,
                         axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """`MeanIoU` for one-hot labels and score vectors (both arg-maxed).

    Args:
        num_classes: the number of classes.
        name: default 'one_hot_mean_io_u'.
        dtype: the dtype of the state; default 'float32'.
        ignore_class: a class id whose samples are left out.
        sparse_y_pred: predictions are class ids instead of scores.
        axis: the class axis.
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config
