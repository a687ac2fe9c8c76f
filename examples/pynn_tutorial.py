#!/usr/bin/python3
"""The tutorial network, written as PyNN users write it (examples/networks/tutorial.json
describes the same network for the `axon` command).

800 excitatory and 200 inhibitory IF_cond_exp cells on a line, v initialised from
normal(-65, 2) mV, randomly connected with probability 0.02 in all four directions
(0.04 uS excitatory, 0.51 uS inhibitory, 1 ms delays), driven one-to-one by a Poisson
"thalamus" of 800 sources at 50 Hz from 100 ms (0.08 uS); spikes, v and conductances
recorded for 200 ms, then a spike raster and a heat map of v are plotted.

Only the import line differs from the SpiNNaker version of the script
(`import pyNN.spiNNaker as sim`).

Usage: PYTHONPATH=python /usr/bin/python3 examples/pynn_tutorial.py [OUTPUT_PREFIX]
(docs/pynn.md); writes OUTPUT_PREFIX_raster.png, OUTPUT_PREFIX_v.png and
OUTPUT_PREFIX.pkl (default prefix: out/pynn_tutorial).
"""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import pyNN.axon as sim  # noqa: E402   (SpiNNaker: import pyNN.spiNNaker as sim)
from pyNN.space import Line  # noqa: E402

prefix = sys.argv[1] if len(sys.argv) > 1 else os.path.join("out", "pynn_tutorial")
if os.path.dirname(prefix):
    os.makedirs(os.path.dirname(prefix), exist_ok=True)

sim.setup(timestep=1.0, min_delay=1.0, max_delay=144.0)

# --- populations --------------------------------------------------------------------------
cell_params = {"cm": 1.0, "tau_m": 20.0, "tau_refrac": 0.1, "tau_syn_E": 5.0,
               "tau_syn_I": 5.0, "v_rest": -65.0, "v_reset": -65.0, "v_thresh": -50.0,
               "i_offset": 0.0, "e_rev_E": 0.0, "e_rev_I": -70.0}
v_init = sim.RandomDistribution("normal", mu=-65.0, sigma=2.0)

excitatory = sim.Population(800, sim.IF_cond_exp(**cell_params), label="exc",
                            structure=Line(dx=1.0, x0=0.0))
excitatory.initialize(v=v_init)
inhibitory = sim.Population(200, sim.IF_cond_exp(**cell_params), label="inh",
                            structure=Line(dx=1.0, x0=800.0))
inhibitory.initialize(v=v_init)
thalamus = sim.Population(800, sim.SpikeSourcePoisson(rate=50.0, start=100.0),
                          label="thalamus")

for population in (excitatory, inhibitory):
    population.record(["spikes", "v", "gsyn_exc", "gsyn_inh"])

# --- projections --------------------------------------------------------------------------
connector = sim.FixedProbabilityConnector(p_connect=0.02)
exc_synapse = sim.StaticSynapse(weight=0.04, delay=1.0)
inh_synapse = sim.StaticSynapse(weight=0.51, delay=1.0)

projections = [
    sim.Projection(excitatory, excitatory, connector, exc_synapse,
                   receptor_type="excitatory", label="exc->exc"),
    sim.Projection(excitatory, inhibitory, connector, exc_synapse,
                   receptor_type="excitatory", label="exc->inh"),
    sim.Projection(inhibitory, excitatory, connector, inh_synapse,
                   receptor_type="inhibitory", label="inh->exc"),
    sim.Projection(inhibitory, inhibitory, connector, inh_synapse,
                   receptor_type="inhibitory", label="inh->inh"),
    sim.Projection(thalamus, excitatory, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=0.08, delay=1.0),
                   receptor_type="excitatory", label="thalamus->exc"),
]

# --- run ----------------------------------------------------------------------------------
sim.run(200.0)

for population in (excitatory, inhibitory):
    print("%s: mean spike count %.2f" % (population.label, population.mean_spike_count()))
print("synapses: %s" % ", ".join("%s %d" % (p.label, p.size()) for p in projections))

exc_data = excitatory.get_data().segments[0]
inh_data = inhibitory.get_data().segments[0]
excitatory.write_data(prefix + ".pkl")

# --- plots --------------------------------------------------------------------------------
fig, axes = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
for ax, segment, label in ((axes[0], exc_data, "excitatory"),
                           (axes[1], inh_data, "inhibitory")):
    for i, spiketrain in enumerate(segment.spiketrains):
        ax.plot(spiketrain.magnitude, np.full(len(spiketrain), i), "k|", markersize=2)
    ax.set_ylabel("%s\nneuron" % label)
axes[1].set_xlabel("time (ms)")
axes[1].set_xlim(0, 200)
fig.tight_layout()
fig.savefig(prefix + "_raster.png", dpi=100)
plt.close(fig)

v = exc_data.filter(name="v")[0]
fig, ax = plt.subplots(figsize=(10, 4))
im = ax.imshow(v.magnitude.T, aspect="auto", origin="lower", interpolation="nearest",
               extent=(float(v.t_start), float(v.t_stop), 0, v.shape[1]))
fig.colorbar(im, ax=ax).set_label("v (%s)" % v.units.dimensionality)
ax.set_xlabel("time (ms)")
ax.set_ylabel("excitatory neuron")
fig.tight_layout()
fig.savefig(prefix + "_v.png", dpi=100)
plt.close(fig)
print("wrote %s_raster.png %s_v.png %s.pkl" % (prefix, prefix, prefix))

sim.end()
