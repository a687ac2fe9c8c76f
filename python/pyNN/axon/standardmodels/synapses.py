"""Axon's synapse types: StaticSynapse only (Axon has no plasticity yet)."""

from pyNN.standardmodels import build_translations, synapses

from ..simulator import state


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = (synapses.StaticSynapse.__doc__ or "") + """
    Axon: weight and delay may be numbers, arrays (one per connection, or a pre x post
    matrix), RandomDistributions (drawn by the host library) or expressions of the
    distance d given as strings ("0.1 + 0.01*d"), evaluated by the host library. Delays are
    rounded to whole timesteps and must lie in [timestep, max_delay].
    """
    translations = build_translations(
        ('weight', 'weight'),
        ('delay', 'delay'),
    )

    def __init__(self, **parameters):
        # PyNN turns strings into Python lambdas; the library needs the expression itself
        self.axon_raw = {k: v for k, v in parameters.items() if isinstance(v, str)}
        synapses.StaticSynapse.__init__(self, **parameters)

    def _get_minimum_delay(self):
        d = state.min_delay
        if d == 'auto':
            d = state.dt
        return d
