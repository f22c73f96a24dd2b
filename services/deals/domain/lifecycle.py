"""Deal lifecycle: negotiating → signed → (expert_review) → registered → completed.

A refused registration leaves the deal signed so the broker can amend the contract and
resubmit; an expert reviewer's rejection sends it back to signed the same way. A deal can
be terminated at any point before it is completed.
"""

from enum import StrEnum

from .registration import Outcome


class DealStatus(StrEnum):
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    EXPERT_REVIEW = "expert_review"
    REGISTERED = "registered"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class DealAction(StrEnum):
    ATTACH_CONTRACT = "attach_contract"  # the first signed contract, or an amended one
    REGISTER = "register"
    REFUSE_REGISTRATION = "refuse_registration"
    REFER_TO_EXPERTS = "refer_to_experts"
    APPROVE_REVIEW = "approve_review"
    REJECT_REVIEW = "reject_review"
    COMPLETE = "complete"
    TERMINATE = "terminate"


class TransitionNotAllowed(Exception):
    def __init__(self, current: DealStatus, action: DealAction) -> None:
        super().__init__(f"a deal that is {current} cannot {action}")
        self.current = current
        self.action = action


_S, _A = DealStatus, DealAction
_TRANSITIONS: dict[tuple[DealStatus, DealAction], DealStatus] = {
    (_S.NEGOTIATING, _A.ATTACH_CONTRACT): _S.SIGNED,
    (_S.SIGNED, _A.ATTACH_CONTRACT): _S.SIGNED,
    (_S.SIGNED, _A.REGISTER): _S.REGISTERED,
    (_S.SIGNED, _A.REFUSE_REGISTRATION): _S.SIGNED,
    (_S.SIGNED, _A.REFER_TO_EXPERTS): _S.EXPERT_REVIEW,
    (_S.EXPERT_REVIEW, _A.APPROVE_REVIEW): _S.REGISTERED,
    (_S.EXPERT_REVIEW, _A.REJECT_REVIEW): _S.SIGNED,
    (_S.REGISTERED, _A.COMPLETE): _S.COMPLETED,
    **{
        (status, _A.TERMINATE): _S.TERMINATED
        for status in (_S.NEGOTIATING, _S.SIGNED, _S.EXPERT_REVIEW, _S.REGISTERED)
    },
}

# GET /stats/flows counts deals in these statuses (a registered deal later terminated drops out).
COUNTED_IN_STATISTICS = frozenset({DealStatus.REGISTERED, DealStatus.COMPLETED})


def next_status(current: DealStatus, action: DealAction) -> DealStatus:
    status, act = DealStatus(current), DealAction(action)
    try:
        return _TRANSITIONS[(status, act)]
    except KeyError:
        raise TransitionNotAllowed(status, act) from None


def allowed_actions(current: DealStatus) -> frozenset[DealAction]:
    status = DealStatus(current)
    return frozenset(action for (source, action) in _TRANSITIONS if source is status)


_ACTION_FOR_OUTCOME = {
    Outcome.REFUSED: DealAction.REFUSE_REGISTRATION,
    Outcome.REGISTER: DealAction.REGISTER,
    Outcome.EXPERT_REVIEW: DealAction.REFER_TO_EXPERTS,
}


def action_for(outcome: Outcome) -> DealAction:
    """The transition a registration assessment leads to."""
    return _ACTION_FOR_OUTCOME[Outcome(outcome)]


def review_action(decision: str) -> DealAction:
    """An operator's expert-review decision ("approve" or "reject") as a transition."""
    actions = {"approve": DealAction.APPROVE_REVIEW, "reject": DealAction.REJECT_REVIEW}
    if decision not in actions:
        raise ValueError(f"decision must be approve or reject, not {decision!r}")
    return actions[decision]
