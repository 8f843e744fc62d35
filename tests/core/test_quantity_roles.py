"""A quantity kind knows its role and its parameter; no code outside the core takes a kind's name apart."""
from __future__ import annotations

import pytest

from derive.core.quantities import KINDS, ROLES, Quantity as Q
from derive.errors import AddressError


def test_every_kind_has_a_role_and_parameters_belong_to_w_or_b():
    assert {k.role for k in KINDS.values()} <= set(ROLES)
    for kind in KINDS.values():
        assert kind.parameter in ("", "W", "b")
        # a parameter's kinds are addressed as the parameter is: a weight by (unit, input), a bias by unit
        if kind.parameter:
            assert kind.indices == KINDS[kind.parameter].indices


@pytest.mark.parametrize("q", [Q("W", 2, 0, 1, 2), Q("dW", 2, 0, 1, 2), Q("W_new", 2, 0, 1, 2), Q("m_hat_W", 2, 0, 1, 2),
                               Q("g_W", 2, 0, 1, 2)])
def test_a_weight_and_its_gradient_update_and_state_address_each_other(q):
    assert q.parameter() == Q("W", 2, 0, 1, 2)
    assert q.gradient() == Q("dW", 2, 0, 1, 2)
    assert q.updated() == Q("W_new", 2, 0, 1, 2)
    assert q.state("velocity") == Q("velocity_W", 2, 0, 1, 2)


def test_a_bias_the_same_way():
    assert Q("v_b", 1, 0, 2).gradient() == Q("db", 1, 0, 2)
    assert Q("db", 1, 0, 2).updated().before() == Q("b", 1, 0, 2)
    with pytest.raises(AddressError, match="no optimizer state"):
        Q("b", 1, 0, 2).state("g")


def test_roles_and_the_forward_pass_after_the_step():
    assert [Q(k).role for k in ("x", "z", "delta", "dW", "W_new", "m_W", "a_after")] == \
        ["given", "forward", "derivative", "gradient", "update", "state", "after"]
    assert Q("a", 2, 3, 1).after() == Q("a_after", 2, 3, 1) and Q("a_after", 2, 3, 1).before() == Q("a", 2, 3, 1)
    assert Q("delta", 1, 1, 1).before() == Q("delta", 1, 1, 1)
    with pytest.raises(AddressError, match="belongs to no parameter"):
        Q("z", 1, 1, 1).gradient()
    with pytest.raises(AddressError, match="only z and a"):
        Q("delta", 1, 1, 1).after()
