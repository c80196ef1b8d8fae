"""Tests of course_utils.claimgen: every generated verdict is re-derived here from the raw
CSV files (independently of the module's own code), seeds are deterministic, sets are
varied and usable with factcheck.check_verdicts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from course_utils import claimgen, data, factcheck

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(12)



@pytest.fixture(scope="module")
def sets(tables) -> dict[int, claimgen.ClaimSet]:
    return {seed: claimgen.generate(seed, 12, tables) for seed in SEEDS}


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    """The CSV files as text, parsed by pandas alone (no course_utils typing)."""
    frames = {name: pd.read_csv(ROOT / "data" / f"{name}.csv", dtype=str,
                                keep_default_na=False)
              for name in ("operations", "members", "defence_expenditure", "contributions")}
    frames["defence_expenditure"] = frames["defence_expenditure"].assign(
        share=lambda f: f["share_gdp"].astype(float), year_=lambda f: f["year"].astype(int),
        edition_=lambda f: f["edition"].astype(int))
    frames["contributions"] = frames["contributions"].assign(
        n=lambda f: f["personnel"].astype(int))
    frames["ops"] = frames["operations"].set_index("op_id")
    # The contributions of each operation, and of each (operation, date): looked up by the
    # ~1,000 contribution claims instead of filtering the whole table for each.
    contrib = frames["contributions"]
    frames["by_op"] = dict(tuple(contrib.groupby("op_id")))
    frames["by_op_date"] = dict(tuple(contrib.groupby(["op_id", "date"])))
    return frames


def _allies_by(raw: dict[str, pd.DataFrame], day: str) -> set[str]:
    m = raw["members"]
    return set(m.loc[m["accession_date"] <= day, "iso3"])


def _expected(claim: claimgen.Claim, raw: dict[str, pd.DataFrame]) -> str:  # noqa: C901
    """The verdict the raw data give, written from the template's meaning, not its code."""
    p = claim.parameters
    ops, spend = raw["ops"], raw["defence_expenditure"]
    yes_no = {True: "supported", False: "wrong"}
    if claim.template == "operation_start":
        return yes_no[int(ops.at[p["op_id"], "start"][:4]) == p["year"]]
    if claim.template == "operation_end":
        return yes_no[int(ops.at[p["op_id"], "end"][:4]) == p["year"]]
    if claim.template == "un_authorisation":
        return yes_no[ops.at[p["op_id"], "legal_basis"] == "UNSC authorisation"]
    if claim.template == "un_resolution":
        cited = p["resolution"] in ops.at[p["op_id"], "un_mandate"].split(";")
        if not cited:
            return "wrong"
        return ("supported" if ops.at[p["op_id"], "legal_basis"] == "UNSC authorisation"
                else "misleading")
    if claim.template == "article_5":
        return yes_no[ops.at[p["op_id"], "article5"] == "true"]
    if claim.template == "host_consent":
        return {"yes": "supported", "no": "wrong",
                "contested": "misleading"}[ops.at[p["op_id"], "host_consent"]]
    if claim.template == "operations_by_decade":
        decade = str(p["decade"])[:3]
        return yes_no[int(ops["start"].str.startswith(decade).sum()) == p["count"]]
    if claim.template in ("allies_at_2_percent", "share_of_allies"):
        allies = _allies_by(raw, f"{p['year']}-12-31")
        rows = spend[(spend["edition_"] == p["edition"]) & (spend["year_"] == p["year"])
                     & spend["iso3"].isin(allies)]
        count = int((rows["share"] >= 2.0).sum())
        if claim.template == "allies_at_2_percent":
            return yes_no[count > p["more_than"]]
        if count != p["count"]:
            return "wrong"
        return "supported" if len(allies) == p["allies"] else "misleading"
    if claim.template == "ally_at_2_percent":
        rows = spend[(spend["country"] == p["country"]) & (spend["year_"] == p["year"])]
        meets = set(rows["share"] >= 2.0)
        return "misleading" if len(meets) == 2 else yes_no[meets == {True}]
    if claim.template == "contribution_compared":
        rows = raw["by_op_date"][(p["op_id"], p["date"])]
        n = rows.set_index("country")["n"]
        return yes_no[n[p["a"]] > n[p["b"]]]
    if claim.template == "contribution_over_time":
        rows = raw["by_op"][p["op_id"]]
        a = rows[rows["country"] == p["a"]].set_index("date")["n"]
        b = rows[rows["country"] == p["b"]].set_index("date")["n"]
        common = sorted(set(a.index) & set(b.index))
        more = {bool(a[d] > b[d]) for d in common}
        return "misleading" if len(more) == 2 else yes_no[more == {True}]
    if claim.template == "member_at_the_date":
        return yes_no[p["iso3"] in _allies_by(raw, p["date"])]
    raise AssertionError(f"no independent derivation for template {claim.template}")


def test_every_template_has_an_independent_derivation_and_candidates(tables, raw) -> None:
    pool = claimgen.candidates(tables)
    assert {c.template for c in pool} == set(claimgen.TEMPLATES)
    for claim in pool:
        assert _expected(claim, raw) == claim.verdict, claim


def test_generated_verdicts_are_derivable_from_the_data(sets, tables, raw) -> None:
    claims = [claim for claim_set in sets.values() for claim in claim_set.claims]
    assert len(claims) == 12 * len(SEEDS)
    for claim in claims:
        assert claim.verdict in factcheck.VERDICTS
        assert _expected(claim, raw) == claim.verdict, claim
    assert claimgen.verify_all(claims, tables) == [claim.verdict for claim in claims]
    assert claimgen.verify(claims[0], tables) == claims[0].verdict


def test_seeds_are_deterministic_and_differ(sets, tables) -> None:
    assert claimgen.generate(11, 12, tables) == sets[11]
    texts = {tuple(c.text for c in claim_set.claims) for claim_set in sets.values()}
    assert len(texts) == len(SEEDS)


def test_a_set_mixes_verdicts_and_never_repeats_a_subject(sets) -> None:
    for seed, claim_set in sets.items():
        assert claim_set.counts().keys() >= {"supported", "wrong", "misleading"}
        subjects = [claimgen.TEMPLATES[c.template].subject(c.parameters)
                    for c in claim_set.claims]
        assert len(subjects) == len(set(subjects)), seed
        assert len({c.template for c in claim_set.claims}) >= 5
        assert [c.id for c in claim_set.claims] == [f"g{i:02d}" for i in range(1, 13)]


def test_evidence_cites_sources_of_the_bibliography(sets) -> None:
    keys = data.bibliography_keys()
    for claim_set in sets.values():
        for claim in claim_set.claims:
            assert claim.sources and set(claim.sources) <= keys, claim
            assert claim.evidence and claim.text.endswith(".")


def test_dates_on_which_the_sources_disagree_never_decide_a_verdict(tables) -> None:
    dis = pd.read_csv(ROOT / "data" / "disagreements.csv", dtype=str, keep_default_na=False)
    disputed = {key: list(rows["value"])
                for key, rows in dis.groupby(["table", "record", "field"])}
    ops = tables["operations"].set_index("op_id")
    for claim in claimgen.candidates(tables):
        p = claim.parameters
        if claim.template in ("operation_start", "operation_end"):
            field = claim.template.split("_")[1]
            other = disputed.get(("operations", p["op_id"], field), [])
            kept = str(ops.at[p["op_id"], field])[:4]
            assert {v[:4] for v in other} <= {kept}, claim
        if claim.template == "member_at_the_date":
            other = disputed.get(("members", p["iso3"], "accession_date"), [])
            for value in other:  # a year-only value spans the whole year
                first, last = (f"{value}-01-01", f"{value}-12-31") if len(value) == 4 \
                    else (value[:10], value[:10])
                assert (first <= p["date"]) == (last <= p["date"]) == (
                    claim.verdict == "supported"), claim


def test_a_set_works_with_the_fact_check_helper(tables) -> None:
    claim_set = claimgen.generate(3, 9, tables)
    frame = claim_set.frame()
    answers = dict(zip(frame["claim_id"], frame["verdict"], strict=True))
    assert factcheck.check_verdicts(answers, frame).correct
    wrong = {**answers, "g01": "unverifiable"}
    result = factcheck.check_verdicts(wrong, frame)
    assert not result.correct and "g01" in result.message


def test_sheets_show_claims_and_the_key_shows_verdicts(tables) -> None:
    claim_set = claimgen.generate(5, 6, tables)
    sheet, key = claim_set.student_sheet(), claim_set.answer_key()
    for claim in claim_set.claims:
        assert claim.text in sheet and claim.text in key
        assert f"*{claim.verdict}*" in key
    assert not any(f"*{v}*" in sheet for v in factcheck.VERDICTS)
    assert "{cite:p}`" in key and "{cite:p}" not in claim_set.answer_key(cite=False)


def test_bad_sizes_are_refused(tables) -> None:
    with pytest.raises(ValueError, match="between 3 and 40"):
        claimgen.generate(1, 2, tables)


def test_command_line_prints_a_sheet_and_writes_a_csv(tmp_path, capsys) -> None:
    out = tmp_path / "set.csv"
    assert claimgen.main(["--seed", "4", "--n", "6", "--csv", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "g01" in printed and "Evidence" not in printed
    assert len(pd.read_csv(out)) == 6
    assert claimgen.main(["--seed", "4", "--n", "6", "--key"]) == 0
    assert "Evidence" in capsys.readouterr().out


def test_the_summary_counts_every_template_s_claims(tables) -> None:
    table = claimgen.summary(tables)
    assert len(table) == len(claimgen.TEMPLATES)
    assert table["kind of claim"].str.len().min() > 10
    assert int(table[["supported", "wrong", "misleading"]].to_numpy().sum()) == len(
        claimgen.candidates(tables))


def test_verify_re_derives_each_verdict_from_the_tables_given(tables) -> None:
    claim = next(c for c in claimgen.candidates(tables)
                 if c.template == "operation_start" and c.verdict == "supported")
    ops = tables["operations"].copy()
    row = ops["op_id"] == claim.parameters["op_id"]
    ops.loc[row, "start"] = ops.loc[row, "start"] + pd.DateOffset(years=1)
    assert claimgen.verify_all([claim, claim], {**tables, "operations": ops}) == ["wrong"] * 2
    with pytest.raises(KeyError):
        claimgen.verify(claim, {**tables, "operations": ops[~row]})
