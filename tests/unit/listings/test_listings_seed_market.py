"""The demonstration market: deterministic, complete and valid under the listings rules."""

import re
from collections import Counter
from datetime import date
from functools import cache

from services.listings.domain.catalogue import INDUSTRY_CODES, ORGANIZATION_KIND_CODES
from services.listings.domain.credit_code import check_credit_code
from services.listings.domain.ip import IP_KINDS, check_ip_number
from services.listings.domain.rules import validate_need, validate_offer
from techmarket.seed_data import Market, build_market, iter_needs, iter_offers, to_request_body

TODAY = date(2025, 6, 1)
PROVINCE = {"BJ": "11", "TJ": "12", "HE": "13"}


@cache
def market() -> Market:
    return build_market(TODAY)


def test_same_arguments_give_the_same_market() -> None:
    assert build_market(TODAY) == build_market(TODAY)
    other = build_market(TODAY, seed=7)
    assert other.offers != market().offers
    assert other.organizations != market().organizations


def test_default_sizes() -> None:
    m = market()
    assert [r["short_code"] for r in m.regions] == ["BJ", "TJ", "HE"]
    assert len(m.organizations) >= 30
    assert len(m.offers) == 320 and len(m.needs) == 160
    assert {o["kind"] for o in m.organizations} == ORGANIZATION_KIND_CODES
    assert {o["region"] for o in m.organizations} == set(PROVINCE)


def test_credit_codes_are_valid_unique_and_registered_in_the_region() -> None:
    codes = [o["credit_code"] for o in market().organizations]
    assert len(set(codes)) == len(codes)
    for org in market().organizations:
        check = check_credit_code(org["credit_code"])
        assert check.ok, (org["name"], check.problem)
        assert check.province_prefix == PROVINCE[org["region"]]
    assert len({o["name"] for o in market().organizations}) == len(codes)


def test_high_tech_certificates_are_in_force() -> None:
    certs = [o["high_tech_cert"] for o in market().organizations if o["high_tech_cert"]]
    assert certs
    for cert in certs:
        assert date.fromisoformat(cert["valid_until"]) > TODAY
        assert re.fullmatch(r"GR20\d\d1[123]\d{6}", cert["number"])


def test_every_listing_owner_is_represented_by_the_broker_posting_it() -> None:
    m = market()
    brokers = {b["ref"]: b for b in m.brokers}
    kinds = {o["ref"]: o["kind"] for o in m.organizations}
    for broker in m.brokers:
        assert kinds[broker["agency_org_ref"]] == "broker_agency"
    for listing, owner_key in [(o, "owner_org_ref") for o in m.offers] + [
        (n, "buyer_org_ref") for n in m.needs
    ]:
        assert listing[owner_key] in brokers[listing["broker_ref"]]["represents_org_refs"]


def test_owners_match_the_kind_of_listing() -> None:
    kinds = {o["ref"]: o["kind"] for o in market().organizations}
    for offer in market().offers:
        expected = {"lab"} if offer["kind"] == "service" else {"university", "institute"}
        assert kinds[offer["owner_org_ref"]] in expected
    assert {kinds[n["buyer_org_ref"]] for n in market().needs} == {"enterprise"}
    assert Counter(o["kind"] for o in market().offers)["service"] >= 30


def test_all_industries_are_covered_by_technology_offers_and_needs() -> None:
    technology = [o for o in market().offers if o["kind"] == "technology"]
    assert {o["industry"] for o in technology} == INDUSTRY_CODES
    assert {n["industry"] for n in market().needs} == INDUSTRY_CODES


def test_every_listing_passes_the_listing_rules() -> None:
    for offer in market().offers:
        assert validate_offer(offer, TODAY) == [], offer["ref"]
    for need in market().needs:
        assert validate_need(need, TODAY) == [], need["ref"]


def test_ip_numbers_are_valid_normalised_and_of_every_kind() -> None:
    items = [item for offer in market().offers for item in offer["ip"]]
    for item in items:
        check = check_ip_number(item["kind"], item["number"])
        assert check.ok and check.number == item["number"], item
    assert {item["kind"] for item in items} == set(IP_KINDS)


def test_budgets_prices_and_dates_make_sense() -> None:
    for need in market().needs:
        assert 0 < need["budget_min_fen"] <= need["budget_max_fen"]
        assert need["budget_min_fen"] % 1_000_000 == 0  # whole 万元
        assert date.fromisoformat(need["deadline"]) > TODAY
    prices = [o["asking_price_fen"] for o in market().offers]
    assert any(p is None for p in prices)
    assert all(p is None or (isinstance(p, int) and p > 0) for p in prices)
    share = sum(n["cross_region_ok"] for n in market().needs) / len(market().needs)
    assert 0.7 < share < 1


def test_texts_are_chinese_and_fully_filled_in() -> None:
    texts = [o[k] for o in market().offers for k in ("title", "summary", "description")]
    texts += [n[k] for n in market().needs for k in ("title", "description")]
    for text in texts:
        assert re.search(r"[\u4e00-\u9fff]{4}", text), text
        assert "{" not in text and "}" not in text, text


def test_request_bodies_use_server_ids() -> None:
    m = market()
    ids = {o["ref"]: f"id-{o['ref']}" for o in m.organizations}
    broker_body = to_request_body(m.brokers[0], ids)
    assert broker_body["agency_org_id"] == ids[m.brokers[0]["agency_org_ref"]]
    assert broker_body["represents"] == [ids[r] for r in m.brokers[0]["represents_org_refs"]]
    offer_body = to_request_body(m.offers[0], ids)
    assert offer_body["owner_org_id"] == ids[m.offers[0]["owner_org_ref"]]
    assert not any(key.endswith("_ref") or key == "ref" for key in offer_body)
    assert "industries" not in to_request_body(m.organizations[0], ids)
    assert to_request_body(m.needs[0], ids)["buyer_org_id"].startswith("id-org-")


def test_large_batches_are_deterministic_and_valid() -> None:
    m = market()
    first = list(iter_offers(2000, seed=99, today=TODAY, owners=m.organizations, brokers=m.brokers))
    again = list(iter_offers(2000, seed=99, today=TODAY, owners=m.organizations, brokers=m.brokers))
    assert first == again
    assert len({o["ref"] for o in first}) == 2000
    assert all(validate_offer(o, TODAY) == [] for o in first[::10])
    needs = list(iter_needs(500, seed=99, today=TODAY, buyers=m.organizations))
    assert all(n["broker_ref"] is None for n in needs)  # no brokers given
    assert all(validate_need(n, TODAY) == [] for n in needs)
