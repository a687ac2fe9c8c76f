"""PyNN values (numbers, arrays, RandomDistributions, distance expressions, functions) to
the host library's axon_value.

Random distributions are never drawn in Python: they become an axon_dist and the library
draws them from its generator (seeded by setup(); docs/pynn.md "Random numbers").
"""

import ctypes
import numbers

import numpy as np
from lazyarray import larray
from pyNN import errors
from pyNN.parameters import Sequence
from pyNN.random import RandomDistribution, available_distributions

from . import _capi as C
from ._capi import lib
from .simulator import check, state


class CValue(object):
    """An axon_value and the buffers it points to (kept alive with it)."""

    def __init__(self, kind, c=0.0, array=None, dist=None, expr=None):
        self.v = C.Value()
        self.v.kind = kind
        self.v.c = float(c)
        self._keep = []
        if array is not None:
            array = np.ascontiguousarray(array, dtype=np.float64).ravel()
            self._keep.append(array)
            self.v.array = C.dptr(array)
            self.v.n = array.size
        if dist is not None:
            self._keep.append(dist)
            self.v.dist = dist.d
        if expr is not None:
            b = expr.encode()
            self._keep.append(b)
            self.v.expr = b

    @property
    def ref(self):
        return ctypes.byref(self.v)

    def __repr__(self):
        return "CValue(kind=%d)" % self.v.kind


class CDist(object):
    """An axon_dist for a PyNN RandomDistribution (parameters in PyNN's order)."""

    def __init__(self, rd):
        names = available_distributions.get(rd.name)
        if names is None:
            raise ValueError("unknown random distribution '%s' (%s)"
                             % (rd.name, ", ".join(sorted(available_distributions))))
        if len(names) > 4:
            raise ValueError("distribution '%s' has too many parameters" % rd.name)
        vals = []
        for k, name in enumerate(names):
            x = rd.parameters[name]
            if x is None:  # clipping bounds: None means unbounded
                x = -np.inf if name == "low" else np.inf
            vals.append(float(x))
        self.name = rd.name.encode()
        self.d = C.Dist()
        self.d.name = self.name
        for k, x in enumerate(vals):
            self.d.p[k] = x
        self.d.n_p = len(vals)


def draw(rd, n):
    """n values of a RandomDistribution drawn by the library's generator."""
    out = np.empty(n, dtype=np.float64)
    dist = CDist(rd)
    check(lib.axon_random(state.ctx, ctypes.byref(dist.d), C.dptr(out), n),
          errors.InvalidParameterValueError)
    return out


def _base(value):
    """The base value of a LazyArray without operations, or None if it has operations."""
    if isinstance(value, larray):
        if value.operations:
            return None
        return value.base_value
    return value


def _is_number(x):
    return isinstance(x, (numbers.Real, np.number)) and not isinstance(x, (bool, np.bool_))


def neuron_value(value, n, name="value"):
    """An axon_value for n neurons from a PyNN parameter or initial value."""
    base = _base(value)
    if isinstance(base, RandomDistribution):
        return CValue(C.VALUE_RANDOM, dist=CDist(base))
    if _is_number(base) or isinstance(base, bool):
        return CValue(C.VALUE_CONST, c=float(base))
    if isinstance(base, (np.ndarray, list, tuple)) and not isinstance(base, Sequence):
        arr = np.asarray(base, dtype=np.float64)
        if arr.ndim == 0:
            return CValue(C.VALUE_CONST, c=float(arr))
        if arr.shape != (n,):
            raise errors.InvalidParameterValueError(
                "%s: array of shape %s for %d neurons" % (name, arr.shape, n))
        return CValue(C.VALUE_ARRAY, array=arr)
    # functions of the index, generators, LazyArrays with operations: evaluate in numpy
    lazy = value if isinstance(value, larray) else larray(value, shape=(n,))
    if lazy.shape is None:
        lazy.shape = (n,)
    if isinstance(lazy.base_value, RandomDistribution):
        # arithmetic on a distribution (e.g. a unit translation): draw in C, then apply
        drawn = larray(draw(lazy.base_value, n), shape=(n,))
        drawn.operations = lazy.operations
        lazy = drawn
    arr = np.asarray(lazy.evaluate(simplify=False), dtype=np.float64)
    if arr.shape != (n,):
        arr = np.broadcast_to(arr, (n,))
    return CValue(C.VALUE_ARRAY, array=arr)


def neuron_values_array(value, n, name="value"):
    """The values for n neurons as an array (distributions drawn by the library)."""
    cv = neuron_value(value, n, name)
    if cv.v.kind == C.VALUE_CONST:
        return np.full(n, cv.v.c)
    if cv.v.kind == C.VALUE_RANDOM:
        out = np.empty(n)
        check(lib.axon_random(state.ctx, ctypes.byref(cv.v.dist), C.dptr(out), n),
              errors.InvalidParameterValueError)
        return out
    return np.array(cv._keep[0], copy=True)


def connection_value(value, raw, shape, name):
    """An axon_value for a projection's weights or delays.

    `raw` is the value as the user gave it (before PyNN turned strings into lambdas), so a
    distance expression string reaches the library as an expression."""
    if isinstance(raw, str):
        return CValue(C.VALUE_EXPR, expr=raw)
    base = _base(value)
    if isinstance(base, RandomDistribution):
        return CValue(C.VALUE_RANDOM, dist=CDist(base))
    if _is_number(base):
        return CValue(C.VALUE_CONST, c=float(base))
    if isinstance(base, (np.ndarray, list, tuple)):
        arr = np.asarray(base, dtype=np.float64)
        if arr.ndim == 0:
            return CValue(C.VALUE_CONST, c=float(arr))
        if arr.ndim == 2 and arr.shape != tuple(shape):
            raise errors.InvalidParameterValueError(
                "%s: matrix of shape %s for a projection of shape %s" % (name, arr.shape,
                                                                          tuple(shape)))
        return CValue(C.VALUE_ARRAY, array=arr)
    if callable(base):
        raise NotImplementedError(
            "%s: Axon evaluates distance-dependent values in the host library; give the "
            "expression as a string of d (e.g. weight=\"0.1*exp(-d/5)\") instead of a "
            "Python function" % name)
    if base is None:
        raise NotImplementedError("%s: values with arithmetic operations applied are not "
                                  "supported by Axon's projections" % name)
    raise errors.InvalidParameterValueError("%s: unsupported value %r" % (name, base))
