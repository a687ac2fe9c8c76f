"""setup(backend=...) passes through to the host library: the board protocol to the
in-process board model ('usb-direct') gives ref's results exactly (docs/board.md)."""
import numpy as np

import pyNN.axon as sim


def run(backend):
    sim.setup(timestep=1.0, backend=backend, seed=3)
    src = sim.Population(10, sim.SpikeSourceArray(spike_times=[5.0, 10.0, 20.0]))
    cells = sim.Population(20, sim.IF_curr_exp(tau_m=20.0, v_thresh=-55.0))
    sim.Projection(src, cells, sim.AllToAllConnector(),
                   sim.StaticSynapse(weight=0.15, delay=1.0))
    cells.record(["spikes", "v"])
    sim.run(50.0)
    seg = cells.get_data().segments[0]
    out = ([np.asarray(st.magnitude) for st in seg.spiketrains],
           np.asarray(seg.analogsignals[0].magnitude))
    sim.end()
    return out


def test_usb_direct_backend_matches_ref():
    a, b = run("ref"), run("usb-direct")
    assert sum(len(s) for s in a[0]) > 0
    assert all(np.array_equal(x, y) for x, y in zip(a[0], b[0]))
    assert np.array_equal(a[1], b[1])


def test_unknown_backend_is_refused():
    try:
        sim.setup(timestep=1.0, backend="nosuch")
    except Exception as e:  # the host library's message names the backend
        assert "nosuch" in str(e)
    else:
        raise AssertionError("setup(backend='nosuch') was accepted")
    finally:
        sim.end()
