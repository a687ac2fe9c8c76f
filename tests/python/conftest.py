"""pytest set-up for the pyNN.axon suite (tests/python; docs/pynn.md).

ctest sets PYTHONPATH (python/) and AXON_LIB (the build tree's libaxon.so); run by hand,
`/usr/bin/python3 -m pytest tests/python` finds python/ from here and libaxon.so in build/.
"""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYDIR = os.path.join(ROOT, "python")
if PYDIR not in [os.path.abspath(p) for p in sys.path]:
    sys.path.insert(0, PYDIR)
os.environ.setdefault("PYTHONPATH", PYDIR)

import pyNN.axon as sim  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "brian2: compares with pyNN.brian2 (slow; ctest "
                            "pynn_vs_brian2)")


@pytest.fixture
def sim1():
    """pyNN.axon set up with a 1 ms timestep (and torn down after the test)."""
    sim.setup(timestep=1.0, min_delay=1.0, max_delay=10.0, seed=1234)
    yield sim
    sim.end()


@pytest.fixture
def root():
    return ROOT
