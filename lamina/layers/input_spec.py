"""`InputSpec`: what a layer accepts, checked when it is called."""


class InputSpec:
    """Rank, shape and axis constraints on one input of a layer.

    Args:
        dtype: expected dtype, or None.
        shape: expected shape (None entries match anything), or None.
        ndim, min_ndim, max_ndim: constraints on the rank.
        axes: dict `{axis: size}` of required sizes.
        allow_last_axis_squeeze: accept a missing trailing size-1 axis.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None,
                 min_ndim=None, axes=None, allow_last_axis_squeeze=False,
                 name=None, optional=False):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim,
                "axes": self.axes}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _fmt(shape):
    return "(" + ", ".join("None" if d is None else str(d)
                           for d in shape) + (",)" if len(shape) == 1
                                              else ")")


def assert_input_compatibility(specs, shapes, layer_name):
    """Raises ValueError naming the layer if `shapes` break `specs`."""
    if not specs:
        return
    if len(shapes) != len(specs):
        raise ValueError(f"Layer '{layer_name}' expects {len(specs)} "
                         f"input(s), but it received {len(shapes)} input "
                         "tensors.")
    for index, (spec, shape) in enumerate(zip(specs, shapes)):
        if spec is None or shape is None:
            continue
        where = f"Input {index} of layer '{layer_name}'"
        ndim = len(shape)
        if spec.ndim is not None and ndim != spec.ndim:
            if not (spec.allow_last_axis_squeeze and ndim + 1 == spec.ndim):
                raise ValueError(f"{where} is incompatible with the layer: "
                                 f"expected ndim={spec.ndim}, found "
                                 f"ndim={ndim}. Full shape received: "
                                 f"{_fmt(shape)}")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(f"{where} is incompatible with the layer: "
                             f"expected min_ndim={spec.min_ndim}, found "
                             f"ndim={ndim}. Full shape received: "
                             f"{_fmt(shape)}")
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(f"{where} is incompatible with the layer: "
                             f"expected max_ndim={spec.max_ndim}, found "
                             f"ndim={ndim}. Full shape received: "
                             f"{_fmt(shape)}")
        for axis, size in spec.axes.items():
            got = shape[axis] if -ndim <= axis < ndim else None
            if size is not None and got is not None and got != size:
                raise ValueError(
                    f"{where} is incompatible with the layer: expected "
                    f"axis {axis} of input shape to have value {size}, but "
                    f"received input with shape {_fmt(shape)}")
        if spec.shape is not None:
            for want, got in zip(spec.shape, shape):
                if want is not None and got is not None and want != got:
                    raise ValueError(
                        f"{where} is incompatible with the layer: expected "
                        f"shape={_fmt(spec.shape)}, found shape="
                        f"{_fmt(shape)}")
