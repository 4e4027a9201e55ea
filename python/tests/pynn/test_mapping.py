"""Placement, rows, routes (pure Python, no chip)."""
import numpy as np
import pytest
from pyNN import errors

from pyNN.nmtwin import mapping

RANGE = (68, 32771)


def net_with(cells, sources=(), projections=()):
    n = mapping.Network()
    for label, size in cells:
        n.cells.append(mapping.CellPop(label, size))
        n.resistance.append(np.full(size, 20.0))
    for label, size, times in sources:
        n.sources.append(mapping.SourcePop(label, size, times))
    n.projections.extend(projections)
    return n


def proj(label, pre, post, pairs, w, d, receptor="excitatory"):
    pairs = np.array(pairs)
    return mapping.Proj(label, pre, post, pairs[:, 0], pairs[:, 1], np.full(len(pairs), w, dtype=float),
                        np.full(len(pairs), d, dtype=float), receptor)


def test_populations_fill_chips_in_order_and_spill_over():
    n = net_with([("a", 300), ("b", 300)])
    assert mapping.place(n.cells, 2) == 2
    assert n.cells[0].chip.max() == 0 and n.cells[1].chip[211] == 0 and n.cells[1].chip[212] == 1
    assert n.cells[1].neuron[212] == 0


def test_too_many_neurons_names_the_population():
    n = net_with([("small", 10), ("huge", 600)])
    with pytest.raises(errors.InvalidDimensionsError, match=r"'huge'.*setup\(chips=N\) with N >= 2"):
        mapping.place(n.cells, 1)


def test_max_neurons_per_chip_spreads():
    n = net_with([("a", 10), ("b", 10)])
    assert mapping.place(n.cells, 2, max_per_chip=10) == 2
    assert list(np.unique(n.cells[1].chip)) == [1]


def test_sources_with_equal_weights_share_a_row_and_delays_do_not():
    times = [np.array([10]), np.array([20]), np.array([30])]
    n = net_with([("post", 4)], [("in", 3, times)], [
        proj("p1", ("source", 0), 0, [(0, 0), (1, 0), (2, 1)], 0.5, 1.0)])
    mapping.place(n.cells, 1)
    plan = mapping.plan(n, 1, RANGE[0], RANGE)
    rows = plan.chips[0].host_rows
    assert rows[(0, 0, 125, False)] == rows[(0, 1, 125, False)] != rows[(0, 2, 125, False)]
    assert plan.chips[0].scale[0] * 1 == 10000  # 0.5 nA * 20 MOhm


def test_on_chip_delay_other_than_one_cycle_is_refused_with_the_realisable_values():
    n = net_with([("a", 2), ("b", 2)], [], [proj("rec", ("cell", 0), 1, [(0, 0)], 0.5, 1.0)])
    mapping.place(n.cells, 1)
    with pytest.raises(errors.ConnectionError, match="'rec'.*0.008.*between chips"):
        mapping.plan(n, 1, RANGE[0], RANGE)


def test_cross_chip_connection_gets_a_route_and_bucket():
    n = net_with([("a", 2), ("b", 2)], [], [proj("x", ("cell", 0), 1, [(0, 0), (1, 1)], 0.5, 1.0)])
    mapping.place(n.cells, 2, max_per_chip=2)
    plan = mapping.plan(n, 2, RANGE[0], RANGE)
    assert plan.chips[0].buckets == {0: (1, 125)}
    assert len(plan.chips[0].routes) == 2 and plan.n_rows[1] == 2


def test_weight_signs_per_receptor():
    n = net_with([("a", 1)], [("s", 1, [np.array([1])])], [proj("neg", ("source", 0), 0, [(0, 0)], -0.5, 1.0)])
    mapping.place(n.cells, 1)
    with pytest.raises(errors.InvalidWeightError, match="'neg'.*excitatory"):
        mapping.plan(n, 1, RANGE[0], RANGE)
    n.projections = [proj("pos", ("source", 0), 0, [(0, 0)], 0.5, 1.0, "inhibitory")]
    with pytest.raises(errors.InvalidWeightError, match="'pos'.*inhibitory"):
        mapping.plan(n, 1, RANGE[0], RANGE)


def test_inhibitory_rows_are_flagged_and_weights_are_magnitudes():
    n = net_with([("a", 1)], [("s", 1, [np.array([1])])], [proj("inh", ("source", 0), 0, [(0, 0)], -0.5, 1.0,
                                                                  "inhibitory")])
    mapping.place(n.cells, 1)
    plan = mapping.plan(n, 1, RANGE[0], RANGE)
    (row, inh, targets), = plan.chips[0].rows
    assert inh and targets[0] * plan.chips[0].scale[0] == 10000


def test_too_many_rows_names_the_projection():
    size = 300
    times = [np.array([1])] * size
    n = net_with([("a", size)], [("many", size, times)], [])
    n.projections = [proj("one_to_one", ("source", 0), 0, [(i, i) for i in range(size)], 0.5, 1.0)]
    mapping.place(n.cells, 1)
    with pytest.raises(errors.ConnectionError, match="'one_to_one'.*256 synapse rows"):
        mapping.plan(n, 1, RANGE[0], RANGE)


def test_loopback_neuron_with_both_signs_on_its_chip_is_refused():
    n = net_with([("a", 2)], [], [proj("e", ("cell", 0), 0, [(0, 1)], 0.5, 0.008),
                                  proj("i", ("cell", 0), 0, [(0, 0)], -0.5, 0.008, "inhibitory")])
    mapping.place(n.cells, 1)
    with pytest.raises(errors.ConnectionError, match="excitatory and inhibitory"):
        mapping.plan(n, 1, RANGE[0], RANGE)
