#!/usr/bin/python3
"""Single-neuron PyNN script for the cross-simulator check (tests/python/test_vs_brian2.py):
each cell type driven by a constant current (i_offset) and, separately, by a train of input
spikes through a projection. Prints the spike times as JSON.

Usage: single_neuron.py axon|brian2
"""
import json
import sys

if sys.argv[1] == "brian2":
    import pyNN.brian2 as sim
else:
    import pyNN.axon as sim

sim.setup(timestep=0.1, min_delay=0.1, max_delay=10.0)
pops = {}
for name, cell in [("IF_curr_exp", sim.IF_curr_exp(i_offset=1.0)),
                   ("IF_cond_exp", sim.IF_cond_exp(i_offset=1.0)),
                   ("IF_curr_alpha", sim.IF_curr_alpha(i_offset=1.0)),
                   ("Izhikevich", sim.Izhikevich(i_offset=0.01))]:
    pops["current/" + name] = sim.Population(1, cell, label="current_" + name)

src = sim.Population(1, sim.SpikeSourceArray(spike_times=[float(t) for t in range(5, 100, 3)]),
                     label="src")
for name, cell, w in [("IF_curr_exp", sim.IF_curr_exp(), 1.5),
                      ("IF_cond_exp", sim.IF_cond_exp(), 0.03),
                      ("IF_curr_alpha", sim.IF_curr_alpha(), 2.0)]:
    p = sim.Population(1, cell, label="synaptic_" + name)
    sim.Projection(src, p, sim.OneToOneConnector(), sim.StaticSynapse(weight=w, delay=1.0),
                   receptor_type="excitatory")
    pops["synaptic/" + name] = p

for p in pops.values():
    p.record("spikes")
sim.run(100.0)
out = {k: [float(t) for t in p.get_data().segments[0].spiketrains[0].magnitude]
       for k, p in pops.items()}
sim.end()
print("RESULT " + json.dumps(out))
