import pytest

from services.deals.domain import (
    DealAction,
    DealStatus,
    Outcome,
    TransitionNotAllowed,
    action_for,
    allowed_actions,
    next_status,
    review_action,
)

S, A = DealStatus, DealAction


@pytest.mark.parametrize(("current", "action", "expected"), [
    (S.NEGOTIATING, A.ATTACH_CONTRACT, S.SIGNED),
    (S.SIGNED, A.ATTACH_CONTRACT, S.SIGNED),  # an amended contract after a refusal
    (S.SIGNED, A.REGISTER, S.REGISTERED),
    (S.SIGNED, A.REFUSE_REGISTRATION, S.SIGNED),
    (S.SIGNED, A.REFER_TO_EXPERTS, S.EXPERT_REVIEW),
    (S.EXPERT_REVIEW, A.APPROVE_REVIEW, S.REGISTERED),
    (S.EXPERT_REVIEW, A.REJECT_REVIEW, S.SIGNED),
    (S.REGISTERED, A.COMPLETE, S.COMPLETED),
    (S.NEGOTIATING, A.TERMINATE, S.TERMINATED),
    (S.SIGNED, A.TERMINATE, S.TERMINATED),
    (S.EXPERT_REVIEW, A.TERMINATE, S.TERMINATED),
    (S.REGISTERED, A.TERMINATE, S.TERMINATED),
])
def test_allowed_transitions(current, action, expected):
    assert next_status(current, action) is expected


@pytest.mark.parametrize(("current", "action"), [
    (S.NEGOTIATING, A.REGISTER),  # no contract yet
    (S.NEGOTIATING, A.COMPLETE),
    (S.SIGNED, A.COMPLETE),  # a deal completes only after registration
    (S.SIGNED, A.APPROVE_REVIEW),
    (S.EXPERT_REVIEW, A.ATTACH_CONTRACT),  # the contract under review cannot change
    (S.EXPERT_REVIEW, A.REGISTER),
    (S.REGISTERED, A.REGISTER),  # registered once
    (S.REGISTERED, A.ATTACH_CONTRACT),
    (S.COMPLETED, A.TERMINATE),
    (S.TERMINATED, A.TERMINATE),
    (S.TERMINATED, A.ATTACH_CONTRACT),
])
def test_refused_transitions_name_the_state_and_the_action(current, action):
    with pytest.raises(TransitionNotAllowed) as refused:
        next_status(current, action)
    assert (refused.value.current, refused.value.action) == (current, action)
    assert str(current) in str(refused.value)


def test_plain_strings_from_the_database_work_too():
    assert next_status("signed", "refer_to_experts") is S.EXPERT_REVIEW  # type: ignore[arg-type]


def test_completed_and_terminated_are_final():
    assert allowed_actions(S.COMPLETED) == frozenset()
    assert allowed_actions(S.TERMINATED) == frozenset()


def test_a_negotiating_deal_can_only_be_signed_or_terminated():
    assert allowed_actions(S.NEGOTIATING) == {A.ATTACH_CONTRACT, A.TERMINATE}


@pytest.mark.parametrize(("outcome", "status"), [
    (Outcome.REFUSED, S.SIGNED),
    (Outcome.REGISTER, S.REGISTERED),
    (Outcome.EXPERT_REVIEW, S.EXPERT_REVIEW),
])
def test_a_registration_outcome_moves_a_signed_deal(outcome, status):
    assert next_status(S.SIGNED, action_for(outcome)) is status


def test_review_decisions_map_to_transitions():
    assert next_status(S.EXPERT_REVIEW, review_action("approve")) is S.REGISTERED
    assert next_status(S.EXPERT_REVIEW, review_action("reject")) is S.SIGNED
    with pytest.raises(ValueError):
        review_action("postpone")
