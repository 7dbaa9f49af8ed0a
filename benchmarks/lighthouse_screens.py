"""Lighthouse (mobile) on every screen, side by side with a blank Reflex app built in the same run.

Lighthouse's mobile preset (simulated slow 4G, 4x CPU slowdown) on a shared
2-core machine moves by several points from run to run, so every number is
printed next to a blank Reflex counter app (the same Reflex version, built and
served in prod mode by this script) measured in the same rounds: the runs are
interleaved (blank, then each screen, round after round) so a busy minute hits
both. Quote the ratio to the blank app, not the raw score.

Start the app first, in prod mode, with the demo data and its origin allowed:

    .venv/bin/python -m skills_app.admin seed-demo
    SKILLS_ALLOWED_ORIGINS=http://localhost:3000 .venv/bin/reflex run --env prod

then, from the repository root:

    .venv/bin/python benchmarks/lighthouse_screens.py                    # every screen, 3 rounds
    .venv/bin/python benchmarks/lighthouse_screens.py --runs 5 --screen today --screen progress

Patient screens are measured as the demo's steady patient (eight weeks of data),
the caseload and a week review as the demo therapist: the script signs in over
the app's own `/auth/login` and hands Lighthouse the session cookie as a header
(see lighthouse_signed_in.py). The blank app is made once under
`~/.cache/skills-bench/blank` (`reflex init --template blank`, its page replaced
by a counter) and served on `--blank-port`.

Per screen it prints the median performance score, LCP, TBT, CLS, the bytes of
JavaScript the page loads, the number of long main-thread tasks Lighthouse saw
(and the longest), and the score's ratio to the blank app. The JSON reports go to
`audit-out/lighthouse-screens/` (`--out`; out of git: about 200 KB each). Exits 0
whatever the scores; 100 when nothing could be measured.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lighthouse_signed_in import (  # noqa: E402
    AUDIT_CACHE,
    AUDIT_DIR,
    CANNOT_RUN,
    SESSION_COOKIE,
    find_node,
    run_lighthouse,
)

ROOT = Path(__file__).resolve().parents[1]
BLANK_HOME = Path(os.environ.get("SKILLS_BENCH_CACHE",
                                 Path.home() / ".cache" / "skills-bench")) / "blank"
DEMO_PASSWORD = "marigold canoes whisper softly"  # skills_app/demo.py
PATIENT = "demo.sam@example.org"
THERAPIST = "demo.therapist@example.org"

# name -> (who, path). "week review" is found on the caseload.
SCREENS: dict[str, tuple[str, str]] = {
    "sign-in": ("nobody", "/signin/"),
    "sign-up": ("nobody", "/signup/"),
    "today": ("patient", "/today/"),
    "journal": ("patient", "/journal/"),
    "diary card": ("patient", "/journal/new/"),
    "practice": ("patient", "/practice/"),
    "timer": ("patient", "/mindfulness/timer/"),
    "check-up": ("patient", "/measures/take/?id=phq9"),
    "progress": ("patient", "/progress/"),
    "safety plan": ("patient", "/safety-plan/"),
    "account": ("patient", "/account/"),
    "caseload": ("therapist", "/patients/"),
    "week review": ("therapist", ""),
}

COUNTER_APP = '''"""A blank Reflex app: one counter (lighthouse_screens.py's baseline)."""

import reflex as rx


class State(rx.State):
    count: int = 0

    @rx.event
    def add(self):
        self.count += 1


def index() -> rx.Component:
    return rx.container(rx.vstack(
        rx.heading("Counter"), rx.text(State.count),
        rx.button("Add one", on_click=State.add)))


app = rx.App()
app.add_page(index)
'''


def _reflex() -> str:
    return str(Path(sys.executable).parent / "reflex")


def blank_app() -> Path:
    """The blank counter app's folder, made on first use."""
    app = BLANK_HOME / "blank" / "blank.py"
    if not app.is_file():
        BLANK_HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run([_reflex(), "init", "--template", "blank"], cwd=BLANK_HOME, check=True,
                       env={**os.environ, "REFLEX_USE_NPM": "1",
                            "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                    f"{os.environ.get('PATH', '')}"})
        app.write_text(COUNTER_APP)
    return BLANK_HOME


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except (urllib.error.URLError, OSError):
        return False


def start_blank(port: int) -> subprocess.Popen:
    folder = blank_app()
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [_reflex(), "run", "--env", "prod", "--frontend-port", str(port),
         "--backend-port", str(port)], cwd=folder, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "REFLEX_USE_NPM": "1",
             "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"})
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the blank app stopped: see {folder / 'server.log'}")
        if _answers(f"http://localhost:{port}/"):
            return server
        time.sleep(2)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit(f"the blank app did not answer on port {port} in 10 minutes")


def session_cookie(base_url: str, email: str) -> str:
    """Sign in over the app's own route and return the session cookie's value."""
    request = urllib.request.Request(
        f"{base_url}/auth/login", method="POST",
        data=json.dumps({"email": email, "password": DEMO_PASSWORD}).encode(),
        headers={"Content-Type": "application/json", "Origin": base_url})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as error:
        sys.exit(f"signing in {email} failed ({error.code}): is the demo seeded "
                 f"(python -m skills_app.admin seed-demo) and the origin allowed?")
    for cookie in cookies:
        name, _, rest = cookie.partition("=")
        if name == SESSION_COOKIE:
            return rest.split(";", 1)[0]
    sys.exit(f"no {SESSION_COOKIE} cookie after signing in {email}")


def week_review_path(base_url: str, cookie: str) -> str:
    """The first patient's page linked from the caseload's HTML (rendered on the client,
    so read it with a browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"])
        try:
            context = browser.new_context(base_url=base_url,
                                          extra_http_headers={"Cookie":
                                                              f"{SESSION_COOKIE}={cookie}"})
            page = context.new_page()
            page.goto("/patients/")
            link = page.locator("#caseload > tbody > tr a").first
            link.wait_for(timeout=60_000)
            return link.get_attribute("href") or "/patients/"
        finally:
            browser.close()


@dataclass
class Run:
    score: float
    lcp: float
    tbt: float
    cls: float
    js_kb: float
    long_tasks: int
    longest: float


def read_report(path: Path) -> Run:
    report = json.loads(path.read_text())
    audits = report["audits"]
    js = sum(item.get("transferSize", 0)
             for item in audits["network-requests"]["details"]["items"]
             if item.get("resourceType") == "Script")
    tasks = [item.get("duration", 0)
             for item in (audits.get("long-tasks", {}).get("details") or {}).get("items", [])]
    return Run(score=report["categories"]["performance"]["score"] * 100,
               lcp=audits["largest-contentful-paint"]["numericValue"] / 1000,
               tbt=audits["total-blocking-time"]["numericValue"],
               cls=audits["cumulative-layout-shift"]["numericValue"],
               js_kb=js / 1024, long_tasks=len(tasks), longest=max(tasks, default=0.0))


def median_run(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(run, field) for run in runs)
                 for field in Run.__dataclass_fields__))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://localhost:3000", help="where the app runs")
    parser.add_argument("--blank-port", type=int, default=3499)
    parser.add_argument("--runs", type=int, default=3, help="rounds (each screen once a round)")
    parser.add_argument("--screen", action="append", dest="screens", choices=sorted(SCREENS),
                        help="a screen to measure (repeatable); default every screen")
    parser.add_argument("--out", type=Path, default=ROOT / "audit-out" / "lighthouse-screens")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    if not (AUDIT_CACHE / "node_modules" / "lighthouse").is_dir():
        subprocess.run([str(AUDIT_DIR / "setup")], check=False)
    node = find_node()
    screens = args.screens or list(SCREENS)
    cookies = {"nobody": "", "patient": session_cookie(base, PATIENT)}
    paths = {name: path for name, (_, path) in SCREENS.items()}
    if any(SCREENS[name][0] == "therapist" for name in screens):
        cookies["therapist"] = session_cookie(base, THERAPIST)
        if "week review" in screens:
            paths["week review"] = week_review_path(base, cookies["therapist"])
    blank = start_blank(args.blank_port)
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[Run]] = {"blank Reflex app": []}
    try:
        for round_number in range(1, args.runs + 1):
            jobs = [("blank Reflex app", f"http://localhost:{args.blank_port}/", "")]
            jobs += [(name, base + paths[name], cookies[SCREENS[name][0]]) for name in screens]
            for name, url, cookie in jobs:
                slug = name.replace(" ", "-")
                report = args.out / f"{slug}-{round_number}"
                with tempfile.TemporaryDirectory() as profile:
                    ok = run_lighthouse(node, url, cookie, report, Path(profile))
                if ok:
                    results.setdefault(name, []).append(
                        read_report(Path(f"{report}.report.json")))
                    Path(f"{report}.report.html").unlink(missing_ok=True)
                print(f"round {round_number}: {name} {'done' if ok else 'FAILED'}", flush=True)
    finally:
        os.killpg(blank.pid, signal.SIGTERM)
    if not results["blank Reflex app"]:
        print("the blank app could not be measured")
        return CANNOT_RUN
    baseline = median_run(results["blank Reflex app"])
    print(f"\nLighthouse mobile, medians of {args.runs} interleaved rounds "
          f"(reports in {args.out}):\n")
    print("| screen | runs | perf | perf / blank | LCP s | TBT ms | CLS | JS KB | long tasks "
          "(longest ms) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, runs in results.items():
        if not runs:
            print(f"| {name} | 0 | - | - | - | - | - | - | - |")
            continue
        m = median_run(runs)
        print(f"| {name} | {len(runs)} | {m.score:.0f} | {m.score / baseline.score:.2f} | "
              f"{m.lcp:.1f} | {m.tbt:.0f} | {m.cls:.3f} | {m.js_kb:.0f} | "
              f"{m.long_tasks:.0f} ({m.longest:.0f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
