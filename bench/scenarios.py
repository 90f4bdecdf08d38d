"""What each HTTP scenario sends, as whom, and what a good answer looks like."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from client import BenchError, Call, Client, Response, expect, redirect_to

# The trigger timed: the manager records the immediate measures of a fresh report.
STEP = "record_immediate_measures"


@dataclass
class Sample:
    """Ids picked by SQL before the run (run.py's ``facts``)."""

    case_ids: list[int]
    pdf_ids: list[int]
    list_unit: int | None


@dataclass
class Scenario:
    name: str
    # Whose clients send it: a role of run.USERS, "anonymous" or "api".
    who: str
    calls: list[Call]


def cycle(items: Sequence[Any], n: int) -> list[Any]:
    return [items[i % len(items)] for i in range(n)] if items else []


# --- checks ------------------------------------------------------------------------------------

PAGE = expect(200)


def expect_json(response: Response) -> str | None:
    problem = expect(200, "application/json")(response)
    if problem is not None:
        return problem
    try:
        items = json.loads(response.body)["items"]
    except (ValueError, KeyError, TypeError):
        return "not a page of cases"
    return None if isinstance(items, list) else "no list of items"


def expect_pdf(response: Response) -> str | None:
    problem = expect(200, "application/pdf")(response)
    if problem is None and not response.body.startswith(b"%PDF"):
        return "not a PDF"
    return problem


# --- reading -----------------------------------------------------------------------------------


def floor(n: int) -> Scenario:
    """The login page, anonymous: what any page of this app costs at the least."""
    return Scenario("login page (floor)", "anonymous", [Call("GET", "/login", PAGE)] * n)


def reading(
    n: int, heavy: int, year: int, sample: Sample, api_page: tuple[str, int]
) -> list[Scenario]:
    """The pages and API calls that only read; ``api_page`` is deep_page's answer."""
    deep_url, deep = api_page
    found = [
        Scenario("SAS inbox", "sas", [Call("GET", "/", PAGE)] * n),
        Scenario("manager inbox", "manager", [Call("GET", "/", PAGE)] * n),
        Scenario(
            f"case page ({len(sample.case_ids)} lex Sarah cases)",
            "sas",
            [Call("GET", f"/arenden/{i}", PAGE) for i in cycle(sample.case_ids, n)],
        ),
        Scenario(
            "case list: lex Sarah, closed",
            "sas",
            [Call("GET", "/arenden?typ=lex_sarah&status=closed", PAGE)] * n,
        ),
    ]
    if sample.list_unit is not None:
        path = f"/arenden?typ=lex_sarah&enhet={sample.list_unit}"
        found.append(
            Scenario("case list: lex Sarah, one unit", "sas", [Call("GET", path, PAGE)] * n)
        )
    found += [
        Scenario("API cases, page 1", "api", [Call("GET", "/api/v1/cases", expect_json)] * n),
        Scenario(f"API cases, page {deep}", "api", [Call("GET", deep_url, expect_json)] * n),
        Scenario(
            f"statistics {year}", "sas", [Call("GET", f"/statistik?year={year}", PAGE)] * heavy
        ),
    ]
    return found


def ivo_report(n: int, sample: Sample) -> Scenario:
    paths = [f"/arenden/{i}/dokument/ivo_report.pdf" for i in sample.pdf_ids]
    return Scenario(
        f"IVO report PDF ({len(paths)} cases)",
        "sas",
        [Call("GET", p, expect_pdf) for p in cycle(paths, n)],
    )


# --- the API's deep page -----------------------------------------------------------------------


def local_path(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def deep_page(client: Client, target: int) -> tuple[str, int]:
    """The URL of page ``target`` of /api/v1/cases, reached by following the ``next`` links
    from page 1 (so a cursor works as well as an offset), and the page reached (there may be
    fewer). Where the link is a plain page number, page ``target`` is asked for directly
    instead of walking there."""
    url, page = "/api/v1/cases", 1
    while page < target:
        response = client.get(url)
        problem = expect_json(response)
        if problem is not None:
            raise BenchError(f"GET {url}: {problem}")
        link = json.loads(response.body).get("next")
        if not link:
            break
        following = local_path(link)
        query = dict(parse_qsl(urlsplit(following).query))
        if page == 1 and set(query) <= {"page", "per_page"} and query.get("page") == "2":
            direct = urlsplit(following).path + "?" + urlencode({**query, "page": target})
            answer = client.get(direct)
            if expect_json(answer) is None and json.loads(answer.body)["items"]:
                return direct, target
        url, page = following, page + 1
    return url, page


# --- writing -----------------------------------------------------------------------------------


def reports(n: int, unit_id: int, into: list[int]) -> Scenario:
    """The report form as a member of staff sends it, about a lex Sarah matter; ``into`` gets
    the ids of the cases opened (the redirect names the report)."""

    def keep_id(response: Response) -> None:
        found = re.search(r"rapport-(\d+)", response.location)
        if found:
            into.append(int(found.group(1)))

    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    calls = [
        Call(
            "POST",
            "/rapportera",
            redirect_to("/mina-rapporter"),
            form=[
                ("affected", "care_recipient"),
                ("harm", "harmed"),
                ("report_kind", "lex_sarah"),
                ("unit_id", str(unit_id)),
                ("location", "Avdelning 2"),
                ("description", f"Bänktest {stamp} nr {i}: brukaren fick inte sin insats."),
                ("reporter_actions", "Informerade enhetschefen."),
                ("person_informed", "unknown"),
                ("persons-0-name", ""),
                ("persons-0-personnummer", ""),
                ("persons-0-description", "En boende"),
            ],
            then=keep_id,
        )
        for i in range(n)
    ]
    return Scenario("report submission (form)", "reporter", calls)


def transitions(case_ids: Sequence[int]) -> Scenario:
    """The manager records that no immediate measures were needed, on cases just reported:
    submitted → awaiting investigation, with history, deadlines met and opened, notices."""
    calls = [
        Call(
            "POST",
            f"/arenden/{case_id}/steg/{STEP}",
            redirect_to(f"/arenden/{case_id}"),
            form=[
                (f"{STEP}-none_needed", "y"),
                (f"{STEP}-none_needed_reason", "Bänktest: ingen fara för den enskilde."),
            ],
        )
        for case_id in case_ids
    ]
    return Scenario(f"transition: {STEP}", "manager", calls)
