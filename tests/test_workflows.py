"""The GitHub workflows keep running on today's GitHub: current action majors (the Node 20
runtime is gone from the runners), least privilege, one run per ref, the tested site is the
published one, a weekly link check that cannot block a merge, and Dependabot."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
# The first major of each action that runs on Node 24 (or is a composite of such actions).
MINIMUM_MAJOR = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/cache": 5,
    "actions/upload-artifact": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}


def load(name: str) -> dict:
    # PyYAML reads the key `on:` as True; give it back its name.
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in document:
        document["on"] = document.pop(True)
    return document


def steps(document: dict) -> list[dict]:
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def test_every_action_is_known_and_at_a_node24_major() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in steps(load(path.name)):
            if "uses" not in step:
                continue
            action, _, ref = step["uses"].partition("@")
            assert action in MINIMUM_MAJOR, f"{path.name}: unreviewed action {action}"
            major = re.match(r"v(\d+)", ref)
            assert major, f"{path.name}: {step['uses']} is not pinned to a major version"
            assert int(major.group(1)) >= MINIMUM_MAJOR[action], (
                f"{path.name}: {step['uses']} predates Node 24 (need v{MINIMUM_MAJOR[action]}+)")


def test_book_workflow_tests_once_and_publishes_the_tested_site() -> None:
    workflow = load("book.yml")
    assert set(workflow["on"]) >= {"push", "pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    assert set(workflow["jobs"]) == {"test", "deploy"}
    test, deploy = workflow["jobs"]["test"], workflow["jobs"]["deploy"]
    commands = [step["run"] for step in test["steps"] if "run" in step]
    assert commands == ["python3 tasks.py test"], "one build, by the test command"
    upload = next(s for s in test["steps"] if s.get("uses", "").startswith(
        "actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    assert "refs/heads/main" in upload["if"] and "pull_request" in upload["if"]
    assert "permissions" not in test
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "test"
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    cache = next(s for s in test["steps"] if s.get("uses", "").startswith("actions/cache"))
    assert "hashFiles('requirements.lock')" in cache["with"]["key"]


def test_runs_are_grouped_per_ref_and_main_is_never_cancelled() -> None:
    concurrency = load("book.yml")["concurrency"]
    assert "github.ref" in concurrency["group"]
    assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_weekly_link_check_reports_without_blocking_merges() -> None:
    workflow = load("links.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}, "never on pull requests"
    cron = workflow["on"]["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[2] == "*" and cron[3] == "*" and cron[4] != "*", "weekly"
    assert workflow["permissions"] == {"contents": "read"}
    commands = [s["run"] for s in steps(workflow) if "run" in s]
    assert "python3 tasks.py links" in commands


def test_dependabot_watches_pip_and_the_actions() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {u["package-ecosystem"]: u["schedule"]["interval"] for u in config["updates"]}
    assert ecosystems == {"pip": "weekly", "github-actions": "weekly"}
