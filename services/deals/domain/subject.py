"""What kind of contract a subject text says it is.

Only explicit names of contract kinds are looked for (技术转让, 实施许可, 技术培训...),
never loose words, so a subject is called contradictory only when it plainly names
another kind of contract and never its own.
"""

from .contract_types import Family

# A CJK ideograph counts as one character, so 10 is a short Chinese phrase
# (e.g. 锂电池正极材料配方优化) and still rejects placeholders like "技术服务".
MIN_SUBJECT_CHARACTERS = 10

_PHRASES: dict[Family, tuple[str, ...]] = {
    Family.DEVELOPMENT: ("技术开发", "委托开发", "合作开发", "联合开发"),
    Family.TRANSFER: ("技术转让", "专利转让", "专利权转让", "专利申请权转让", "技术秘密转让"),
    Family.LICENSE: ("技术许可", "实施许可", "使用许可", "许可使用"),
    Family.CONSULTING: ("技术咨询",),
    Family.SERVICE: ("技术服务", "技术中介", "技术培训"),
}


def meaningful_length(subject: str) -> int:
    """Letters and digits only: spaces and punctuation do not describe a technology."""
    return sum(1 for ch in subject if ch.isalnum())


def families_named(subject: str) -> frozenset[Family]:
    return frozenset(
        family for family, phrases in _PHRASES.items()
        if any(phrase in subject for phrase in phrases)
    )


def contradicting_families(subject: str, family: Family) -> frozenset[Family]:
    """Other kinds the subject names, when it does not name its own kind at all."""
    named = families_named(subject)
    if family in named:
        return frozenset()
    return named
