"""The tutorial network as a PyNN script (examples/pynn_tutorial.py) runs on pyNN.axon,
plots, and builds exactly the network of examples/networks/tutorial.json (same spikes as
the network file through the C API)."""
import ctypes
import os
import subprocess
import sys

import neo
import numpy as np

from pyNN.axon import _capi as C


def netfile_spikes(path):
    """Spikes per population label of a network file run through the C API."""
    lib = C.lib
    lib.axon_load_network.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
    lib.axon_load_network.restype = ctypes.c_int
    ctx = ctypes.c_void_p()
    assert lib.axon_create(ctypes.byref(ctx)) == 0
    try:
        run = ctypes.create_string_buffer(8 + 4096 + 16 + 64)
        assert lib.axon_load_network(ctx, path.encode(), run) == 0, \
            lib.axon_last_error(ctx).decode()
        assert lib.axon_run(ctx, ctypes.c_double.from_buffer(run).value) == 0
        out = {}
        for p in range(2):
            n = ctypes.c_size_t()
            lib.axon_get_spikes(ctx, p, ctypes.byref(n), None, None, 0)
            neuron = np.empty(n.value, np.uint32)
            t = np.empty(n.value)
            lib.axon_get_spikes(ctx, p, None, C.u32ptr(neuron), C.dptr(t), n.value)
            out[lib.axon_pop_label(ctx, p).decode()] = (neuron, t)
        return out
    finally:
        lib.axon_destroy(ctx)


def test_tutorial_script(root, tmp_path):
    prefix = str(tmp_path / "tut")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(root, "python") + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, os.path.join(root, "examples", "pynn_tutorial.py"),
                        prefix], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "exc: mean spike count" in r.stdout
    for suffix in ("_raster.png", "_v.png"):
        with open(prefix + suffix, "rb") as f:
            head = f.read(8)
        assert head == b"\x89PNG\r\n\x1a\n" and os.path.getsize(prefix + suffix) > 10000
    block = neo.io.PickleIO(prefix + ".pkl").read_block()
    seg = block.segments[0]
    assert len(seg.spiketrains) == 800
    v = seg.filter(name="v")[0]
    assert v.shape == (200, 800) and str(v.units.dimensionality) == "mV"
    assert abs(v.magnitude[0].mean() + 65.0) < 0.3 and abs(v.magnitude[0].std() - 2.0) < 0.2
    assert {s.name for s in seg.analogsignals} == {"v", "gsyn_exc", "gsyn_inh"}
    # identical to the network file through the C API
    ref = netfile_spikes(os.path.join(root, "examples", "networks", "tutorial.json"))
    neuron, t = ref["exc"]
    got_n = np.concatenate([np.full(len(st), k) for k, st in enumerate(seg.spiketrains)])
    got_t = np.concatenate([st.magnitude for st in seg.spiketrains])
    assert np.array_equal(got_n, neuron) and np.array_equal(got_t, t)
    assert len(t) > 1000
