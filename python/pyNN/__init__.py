# Axon's pyNN namespace shim (docs/pynn.md).
#
# `pyNN` is Debian's package (python3-pynn, /usr/lib/python3/dist-packages/pyNN) and its
# __init__.py does not declare a namespace, so a directory that only adds pyNN/axon would
# hide it. With this directory first on PYTHONPATH, `import pyNN` runs this file, which
# extends the package's search path with the installed PyNN (first, so pyNN.neuron and the
# like find their own files) and then this directory (for pyNN.axon), and runs the
# installed PyNN's own __init__.py so pyNN.__version__ etc. are PyNN's.
import os as _os
import sys as _sys

_here = _os.path.dirname(_os.path.abspath(__file__))
__path__ = [_here]
_found = None
for _entry in _sys.path:
    _cand = _os.path.join(_os.path.abspath(_entry or _os.getcwd()), "pyNN")
    if (_os.path.normcase(_os.path.realpath(_cand)) != _os.path.normcase(_os.path.realpath(_here))
            and _os.path.isfile(_os.path.join(_cand, "__init__.py"))):
        _found = _cand
        break
if _found is None:
    raise ImportError("pyNN.axon needs PyNN 0.10 installed (Debian: apt-get install "
                      "python3-pynn); no other pyNN package found on sys.path")
__path__ = [_found, _here]
_init = _os.path.join(_found, "__init__.py")
with open(_init, "rb") as _f:
    exec(compile(_f.read(), _init, "exec"))
for _name in ("_os", "_sys", "_here", "_found", "_entry", "_cand", "_init", "_f"):
    globals().pop(_name, None)
del _name
