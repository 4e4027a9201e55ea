"""Parameter translation and weight quantisation (pure Python, no chip)."""
import warnings

import numpy as np
import pytest
from pyNN import errors

from pyNN.nmtwin import translation as tr

DEFAULTS = dict(tau_m=20.0, cm=1.0, v_rest=-65.0, v_thresh=-50.0, v_reset=-65.0, tau_refrac=0.096, i_offset=0.0,
                tau_syn_E=5.0, tau_syn_I=5.0)


def params(**kw):
    p = dict(DEFAULTS)
    p.update(kw)
    return {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in p.items()}


def test_units_and_speed_up():
    r = tr.neuron_registers("p", params(i_offset=0.5), [-65.0])
    assert r["threshold_uv"][0] == -50000 and r["reset_uv"][0] == -65000
    assert r["tau_m_ns"][0] == 20000      # 20 ms biological = 20 us hardware
    assert r["tau_syn_ns"][0] == 5000
    assert r["refractory_ns"][0] == 88  # 0.096 ms = 12 cycles, the chip counts one of them itself
    # i_offset 0.5 nA through R = tau_m/cm = 20 MOhm: 10 mV above v_rest
    assert r["leak_uv"][0] + r["bias_uv"][0] == -55000


def test_initial_v_goes_into_leak_and_rest_is_kept():
    r = tr.neuron_registers("p", params(v_rest=-60.0), [-70.0])
    assert r["leak_uv"][0] == -70000
    assert r["leak_uv"][0] + r["bias_uv"][0] == -60000


def test_tau_syn_must_match():
    with pytest.raises(errors.InvalidParameterValueError, match="'exc'.*tau_syn_I"):
        tr.check_cell_parameters("exc", params(tau_syn_I=3.0))


@pytest.mark.parametrize("name,value,match", [
    ("tau_m", 0.001, "tau_m"), ("tau_m", 1e6, "tau_m"), ("tau_refrac", 2e5, "tau_refrac"),
    ("v_thresh", 2000.0, "v_thresh"), ("cm", 0.0, "cm"), ("tau_syn_E", 0.0, "tau_syn_E"),
])
def test_limits_name_population_and_parameter(name, value, match):
    kw = {name: value}
    if name == "tau_syn_E":
        kw["tau_syn_I"] = value
    with pytest.raises(errors.InvalidParameterValueError, match="population 'pop'.*%s" % match):
        tr.check_cell_parameters("pop", params(**kw))


def test_bias_outside_the_register_names_the_neuron():
    with pytest.raises(errors.InvalidParameterValueError, match="neuron 0 of population 'p'.*bias_uv"):
        tr.neuron_registers("p", params(i_offset=100.0), [-65.0])


def test_sub_ns_time_constants_round_with_a_warning():
    with pytest.warns(tr.RoundingWarning, match="tau_m"):
        r = tr.neuron_registers("p", params(tau_m=18.4372), [-65.0])
    assert r["tau_m_ns"][0] == 18437
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr.neuron_registers("p", params(tau_m=20.0 + 1e-12), [-65.0])


def test_refractory_one_cycle_less_than_pynn():
    assert list(tr.refractory_register("p", [0.0, 0.008, 2.0])) == [0, 0, 1992]
    with pytest.warns(tr.RoundingWarning, match="tau_refrac"):
        tr.refractory_register("p", [0.1])


def test_refractory_cycles_round_up_like_the_chip():
    assert list(tr.refractory_cycles([0, 8, 9, 2000])) == [0, 1, 2, 250]


def test_representable_weights_are_exact():
    s, u = tr.choose_scale([20000.0, 10000.0, 5000.0], [63, 63, 63])
    assert list(u * s) == [20000, 10000, 5000]
    s, u = tr.choose_scale([63 * 777.0, 777.0], [63, 63])
    assert s == 777 and list(u) == [63, 1]


def test_large_ratios_use_joined_rows_only_where_allowed():
    s, u = tr.choose_scale([100.0, 1.0], [63 * 4, 63])
    assert s == 1 and list(u) == [100, 1]
    s, u = tr.choose_scale([100.0, 1.0], [63, 63])
    assert u[0] <= 63
    assert tr.split_units(100, 2) == [63, 37]


def test_unrepresentable_weights_round_to_the_nearest():
    w = np.array([18437.2, 9000.0])
    s, u = tr.choose_scale(w, [63, 63])
    assert np.max(np.abs(u * s - w) / w) < 0.01


def test_time_grid():
    assert tr.ms_to_cycles(1.0) == 125
    assert tr.ms_to_cycles(0.008) == 1
    assert tr.cycles_to_ms(125) == pytest.approx(1.0)


def test_the_pure_python_copies_of_the_spec_agree_with_the_bindings():
    # translation.py and mapping.py work without the bindings (their unit tests need no
    # chip), so they keep the spec's values; these must be the generated ones.
    from nmtwin import spec
    from pyNN.nmtwin import mapping
    from pyNN.nmtwin import translation
    assert mapping.CHIP_NEURONS == spec.chip_neurons
    assert mapping.CHIP_ROWS == spec.chip_rows
    assert mapping.BUCKETS == spec.buckets
    fields = {f["name"]: (f["min"], f["max"]) for f in spec.chip_fields("neuron")}
    for name, limits in translation.NEURON_LIMITS.items():
        assert limits == fields[name], name
