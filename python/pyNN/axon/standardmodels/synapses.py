"""Axon's synapse types: StaticSynapse, and STDPMechanism with SpikePairRule /
SpikeNearestPairRule timing and Additive / Multiplicative weight dependence
(docs/pynn.md, docs/spec/plasticity.md)."""

from pyNN.standardmodels import build_translations, synapses

from ..simulator import state


def _min_delay():
    d = state.min_delay
    if d == 'auto':
        d = state.dt
    return d


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
        return _min_delay()


class STDPMechanism(synapses.STDPMechanism):
    __doc__ = (synapses.STDPMechanism.__doc__ or "") + """
    Axon: timing dependence SpikePairRule or SpikeNearestPairRule, weight dependence
    AdditiveWeightDependence or MultiplicativeWeightDependence, no voltage dependence;
    dendritic_delay_fraction must be 1 (the whole delay is dendritic, as on SpiNNaker).
    The rule parameters must be single numbers; weight and delay may vary per connection as
    for StaticSynapse. Learned weights: Projection.get('weight', ...) after a run.
    """
    base_translations = build_translations(
        ('weight', 'weight'),
        ('delay', 'delay'),
        ('dendritic_delay_fraction', 'dendritic_delay_fraction'),
    )

    def __init__(self, timing_dependence=None, weight_dependence=None,
                 voltage_dependence=None, dendritic_delay_fraction=1.0, weight=0.0,
                 delay=None):
        if voltage_dependence is not None:
            raise NotImplementedError("STDPMechanism: Axon has no voltage dependence")
        if dendritic_delay_fraction != 1.0:
            raise NotImplementedError(
                "STDPMechanism: dendritic_delay_fraction = %g; Axon (like sPyNNaker) supports "
                "only 1.0, the whole delay being dendritic" % dendritic_delay_fraction)
        if not isinstance(timing_dependence, (SpikePairRule, SpikeNearestPairRule)):
            raise NotImplementedError("STDPMechanism: timing_dependence must be Axon's "
                                      "SpikePairRule or SpikeNearestPairRule (got %s)"
                                      % type(timing_dependence).__name__)
        if not isinstance(weight_dependence, (AdditiveWeightDependence,
                                              MultiplicativeWeightDependence)):
            raise NotImplementedError("STDPMechanism: weight_dependence must be Axon's "
                                      "AdditiveWeightDependence or "
                                      "MultiplicativeWeightDependence (got %s)"
                                      % type(weight_dependence).__name__)
        self.axon_raw = {k: v for k, v in (("weight", weight), ("delay", delay))
                         if isinstance(v, str)}
        synapses.STDPMechanism.__init__(self, timing_dependence, weight_dependence, None,
                                        dendritic_delay_fraction, weight, delay)

    def _build_translations(self):
        # a copy per instance: the components' translations are merged in
        self.translations = dict(self.__class__.base_translations)
        for component in (self.timing_dependence, self.weight_dependence):
            self.translations.update(component.translations)

    def _get_minimum_delay(self):
        return _min_delay()

    def axon_rule(self):
        """The rule's parameters as single numbers (names as in PyNN)."""
        out = {}
        for comp in (self.timing_dependence, self.weight_dependence):
            ps = comp.parameter_space
            for name in comp.default_parameters:
                v = ps[name].base_value
                try:
                    out[name] = float(v)
                except (TypeError, ValueError):
                    raise NotImplementedError("STDPMechanism: %s must be a single number on "
                                              "Axon (got %r)" % (name, v))
        return out


class SpikePairRule(synapses.SpikePairRule):
    __doc__ = synapses.SpikePairRule.__doc__
    translations = build_translations(
        ('A_plus', 'A_plus'),
        ('A_minus', 'A_minus'),
        ('tau_plus', 'tau_plus'),
        ('tau_minus', 'tau_minus'),
    )
    axon_timing = 0


class SpikeNearestPairRule(synapses.STDPTimingDependence):
    """
    Like SpikePairRule, but only nearest spikes pair (sPyNNaker's SpikeNearestPairRule):
    each postsynaptic spike potentiates with the latest presynaptic spike before it, each
    presynaptic spike depresses with the latest postsynaptic spike before it (the traces
    are reset to 1 at each spike instead of incremented).

    Arguments: tau_plus, tau_minus (ms), A_plus, A_minus, as SpikePairRule.
    """
    default_parameters = {
        'tau_plus': 20.0,
        'tau_minus': 20.0,
        'A_plus': 0.01,
        'A_minus': 0.01,
    }
    translations = SpikePairRule.translations
    axon_timing = 1

    def __init__(self, tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01):
        synapses.STDPTimingDependence.__init__(self, tau_plus=tau_plus, tau_minus=tau_minus,
                                               A_plus=A_plus, A_minus=A_minus)


class AdditiveWeightDependence(synapses.AdditiveWeightDependence):
    __doc__ = synapses.AdditiveWeightDependence.__doc__ + """
    Axon (as PyNN's other backends and sPyNNaker): dw = A_plus * w_max * trace up,
    A_minus * w_max * trace down."""
    translations = build_translations(('w_max', 'w_max'), ('w_min', 'w_min'))
    axon_weight = 0


class MultiplicativeWeightDependence(synapses.MultiplicativeWeightDependence):
    __doc__ = synapses.MultiplicativeWeightDependence.__doc__
    translations = build_translations(('w_max', 'w_max'), ('w_min', 'w_min'))
    axon_weight = 1
