"""Every backend defines every primitive of the interface, same signature."""

import inspect

import pytest

from lamina import backend
from lamina.backend import interface
from lamina.backend.common.variables import Variable

NAMES = ("torch", "jax", "numpy")


def _parameters(signature_text):
    """Parameter names of a signature written as text, e.g. '(x, axis=0)'."""
    namespace = {}
    exec(f"def f{signature_text}: pass", namespace)  # noqa: S102
    return list(inspect.signature(namespace["f"]).parameters)


def _cases(table, where):
    return [pytest.param(b, n, table[n][0], where, id=f"{b}-{where}-{n}")
            for b in NAMES for n in table]


@pytest.mark.parametrize(
    "backend_name, name, signature, where",
    _cases(interface.PRIMITIVES, "ops") + _cases(interface.RANDOM, "random"))
def test_backend_defines_primitive(backend_name, name, signature, where):
    module = backend.get(backend_name)
    if where == "random":
        module = module.random
    assert hasattr(module, name), (
        f"lamina.backend.{backend_name} has no {where} primitive {name!r}")
    got = list(inspect.signature(getattr(module, name)).parameters)
    assert got == _parameters(signature), (
        f"{backend_name}.{name}{inspect.signature(getattr(module, name))} "
        f"differs from the interface {name}{signature}")


@pytest.mark.parametrize("backend_name", NAMES)
def test_backend_module_attributes(backend_name):
    module = backend.get(backend_name)
    assert module.name == backend_name
    assert module.supports_training is (backend_name != "numpy")
    assert issubclass(module.Variable, Variable)


def test_parameters_reads_signature_text():
    assert _parameters("(x, axis=None, *rest)") == ["x", "axis", "rest"]
