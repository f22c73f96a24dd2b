"""Tax benefits a registered technology contract MAY unlock.

The certificate lists them so the parties know what to claim; whether a benefit is granted
is decided by the tax office, never by the market. Sources: VAT exemption for technology
transfer, development and the related consulting/service (财税〔2016〕36号 附件3);
corporate income-tax relief on technology-transfer income (企业所得税法实施条例 第九十条).
"""

from dataclasses import dataclass

from .contract_types import Family, contract_type


@dataclass(frozen=True)
class TaxBenefit:
    code: str
    description_zh: str
    description_en: str
    applicable: bool  # the contract type MAY unlock it: eligibility is the tax office's call
    condition_zh: str = ""
    condition_en: str = ""


_VAT_ZH = ("技术转让、技术开发和与之相关的技术咨询、技术服务收入免征增值税"
           "(可能适用,以税务机关认定为准)")
_VAT_EN = ("VAT exemption on income from technology transfer, development and related "
           "consulting and services (may apply; decided by the tax office)")
_VAT_RELATED_ZH = ("仅限为使受让方(委托方)掌握所转让或委托开发的技术而提供,"
                   "且与转让或开发价款同票开具")
_VAT_RELATED_EN = ("only when provided so the buyer masters technology transferred or developed "
                   "under a transfer or development contract, invoiced together with it")
_CIT_ZH = ("技术转让所得企业所得税减免:一个纳税年度内不超过500万元的部分免征,"
           "超过部分减半征收(可能适用,以税务机关认定为准)")
_CIT_EN = ("Corporate income-tax relief on technology-transfer income: the first 5 million RMB "
           "a year exempt, the part above halved (may apply; decided by the tax office)")
_CIT_SCOPE_ZH = ("技术须属财税主管部门列举的范围(专利技术、计算机软件著作权、"
                 "集成电路布图设计权、植物新品种、生物医药新品种等)")
_CIT_SCOPE_EN = ("the technology must be of a kind the tax authorities list (patents, software "
                 "copyright, IC layouts, plant varieties, new biomedicine varieties...)")
_CIT_LICENSE_ZH = _CIT_SCOPE_ZH + ";许可须为五年以上(含)全球独占许可或非独占许可"
_CIT_LICENSE_EN = _CIT_SCOPE_EN + "; a license must run for five years or more"

_VAT_FAMILIES = {Family.TRANSFER, Family.LICENSE, Family.DEVELOPMENT}
# Consulting and service count only as "related" to a transfer or development.
_VAT_RELATED_TYPES = {"consulting", "service.technical", "service.training"}


def tax_benefits_for(contract_type_code: str) -> tuple[TaxBenefit, ...]:
    """Every benefit the certificate mentions, each flagged as one this type may unlock."""
    kind = contract_type(contract_type_code)
    return (_vat(kind.code, kind.family), _cit(kind.family))


def _vat(code: str, family: Family) -> TaxBenefit:
    if code in _VAT_RELATED_TYPES:
        return TaxBenefit("vat_exemption", _VAT_ZH, _VAT_EN, True, _VAT_RELATED_ZH, _VAT_RELATED_EN)
    return TaxBenefit("vat_exemption", _VAT_ZH, _VAT_EN, family in _VAT_FAMILIES)


def _cit(family: Family) -> TaxBenefit:
    if family is Family.LICENSE:
        return TaxBenefit("cit_transfer_income_relief", _CIT_ZH, _CIT_EN, True,
                          _CIT_LICENSE_ZH, _CIT_LICENSE_EN)
    if family is Family.TRANSFER:
        return TaxBenefit("cit_transfer_income_relief", _CIT_ZH, _CIT_EN, True,
                          _CIT_SCOPE_ZH, _CIT_SCOPE_EN)
    return TaxBenefit("cit_transfer_income_relief", _CIT_ZH, _CIT_EN, False)
