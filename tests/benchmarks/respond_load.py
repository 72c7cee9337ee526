"""The load process of the respond benchmark: simulated respondents (or bare inserts) against a server in another
process, for a fixed time; prints one JSON object with what it measured.

Run by ``bench_respond.py``; by hand: ``python tests/benchmarks/respond_load.py survey --url http://127.0.0.1:8000
--path /s/TOKEN --clients 50 --seconds 10``. It runs alone in its process (uvloop when installed) so that the server's
cores are not spent on the client's bookkeeping inside the server's event loop.

Each virtual respondent behaves like a phone's browser: its own cookie jar and connection (one aiohttp session per
respondent), GET the form, POST each page with the CSRF token and the response id from the form, follow each 303
with a GET, and end on the thank-you page; then the next respondent starts with fresh cookies. A request counts
when it ends inside the measuring window (after the warm-up); a response counts when its thank-you page does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

# The visitor survey's four pages, answered so that no condition adds a question.
PAGES: tuple[dict[str, str], ...] = (
    {"visit_type": "first_visit", "visited_with": "alone"},
    {"staff_welcome": "5", "guide_rating": "na", "waiting_time": "4"},
    {"overall_satisfaction": "5", "recommend": "10", "best_part": "Guiden", "comment": "Tack!"},
    {"contact_consent": "no"},
)
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
RESPONSE = re.compile(r'name="_response" value="([^"]+)"')
PAGE = re.compile(r'name="_page" value="(\d+)"')
VERSION = re.compile(r'name="_version" value="([^"]*)"')
TIMEOUT = aiohttp.ClientTimeout(total=30)


@dataclass
class Tally:
    window_start: float
    window_end: float
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    completed: int = 0
    requests: int = 0

    def inside(self, moment: float) -> bool:
        return self.window_start <= moment < self.window_end

    def record(self, label: str, started: float, ended: float) -> None:
        if self.inside(ended):
            self.timings[label].append((ended - started) * 1000)
            self.requests += 1


async def _request(
    session: aiohttp.ClientSession, tally: Tally, label: str, method: str, url: str, **options: object
) -> tuple[int, str, str]:
    started = time.monotonic()
    async with session.request(method, url, allow_redirects=False, **options) as answer:  # type: ignore[arg-type]
        text = await answer.text()
        tally.record(label, started, time.monotonic())
        return answer.status, text, answer.headers.get("location", "")


async def one_respondent(base: str, path: str, tally: Tally, think: float = 0.0) -> None:
    """One respondent from the form to the thank-you page; an unexpected answer is an error and ends it."""
    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: keep cookies of an IP address such as 127.0.0.1
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(base, cookie_jar=jar, connector=connector, timeout=TIMEOUT) as session:
        status, text, _ = await _request(session, tally, "GET page 1", "GET", path)
        for number, answers in enumerate(PAGES, start=1):
            csrf, response_id, page = CSRF.search(text), RESPONSE.search(text), PAGE.search(text)
            version = VERSION.search(text)
            if status != 200 or not (csrf and response_id and page and version):
                tally.errors[f"GET page {number}: {status}"] += 1
                return
            if think:  # reading and answering the page, as a person does, each at their own pace
                await asyncio.sleep(random.uniform(0.5, 1.5) * think)  # pacing, not secrets
            fields = {"_csrf_token": csrf.group(1), "_response": response_id.group(1), "_page": page.group(1),
                      "_version": version.group(1), "_nav": "next", **answers}  # fmt: skip
            status, _, location = await _request(session, tally, f"POST page {number}", "POST", path, data=fields)
            if status != 303 or not location:
                tally.errors[f"POST page {number}: {status}"] += 1
                return
            label = "GET done" if number == len(PAGES) else f"GET page {number + 1}"
            status, text, _ = await _request(session, tally, label, "GET", location)
        if status != 200 or "_csrf_token" in text:
            tally.errors[f"GET done: {status}"] += 1
            return
        if tally.inside(time.monotonic()):
            tally.completed += 1


async def _until(deadline: float, tally: Tally, step: object) -> None:
    while time.monotonic() < deadline:
        try:
            await step()  # type: ignore[operator]
        except (aiohttp.ClientError, TimeoutError) as error:
            if tally.inside(time.monotonic()):
                tally.errors[type(error).__name__] += 1


async def drive(
    mode: str, base: str, path: str, *, clients: int, seconds: float, warmup: float, think: float = 0.0
) -> Tally:
    now = time.monotonic()
    tally = Tally(window_start=now + warmup, window_end=now + warmup + seconds)
    if mode == "survey":

        async def respondents() -> None:
            await asyncio.sleep(random.uniform(0, 2 * think))  # people do not arrive in step
            await _until(tally.window_end, tally, lambda: one_respondent(base, path, tally, think))

        await asyncio.gather(*(respondents() for _ in range(clients)))
        return tally
    body = b"x" * 64

    async def inserter() -> None:
        async with aiohttp.ClientSession(base, connector=aiohttp.TCPConnector(limit=1), timeout=TIMEOUT) as session:

            async def insert() -> None:
                started = time.monotonic()
                async with session.post(path, data=body) as answer:
                    await answer.read()
                    ended = time.monotonic()
                    tally.record(f"POST {path}", started, ended)
                    if answer.status != 201 and tally.inside(ended):
                        tally.errors[str(answer.status)] += 1

            await _until(tally.window_end, tally, insert)

    await asyncio.gather(*(inserter() for _ in range(clients)))
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("survey", "insert"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--think", type=float, default=0.0, help="Seconds each respondent spends on a page.")
    parser.add_argument("--out", type=Path, help="Write the JSON here instead of to standard output.")
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    tally = asyncio.run(
        drive(
            args.mode,
            args.url,
            args.path,
            clients=args.clients,
            seconds=args.seconds,
            warmup=args.warmup,
            think=args.think,
        )
    )
    result = {"seconds": args.seconds, "completed": tally.completed, "requests": tally.requests,
              "errors": dict(tally.errors), "timings": tally.timings}  # fmt: skip
    if args.out:
        args.out.write_text(json.dumps(result))
    else:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
