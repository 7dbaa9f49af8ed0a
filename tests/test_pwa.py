"""The service worker's version follows everything it precaches."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from skills_app import pwa
from skills_app.content.crisis import CRISIS_RESOURCES


def test_the_version_is_stable_for_the_same_content() -> None:
    assert pwa.precache_version() == pwa.precache_version()
    assert f'const VERSION = "{pwa.precache_version()}";' in pwa.service_worker_script()


def test_a_changed_crisis_number_changes_the_version() -> None:
    changed = (replace(CRISIS_RESOURCES[0], description="Call or text 999"),
               *CRISIS_RESOURCES[1:])
    assert pwa.precache_version(crisis=changed) != pwa.precache_version()


def test_a_changed_offline_page_changes_the_version() -> None:
    assert pwa.precache_version(offline_html="<p>new</p>") != pwa.precache_version()


def test_a_changed_precached_file_changes_the_version(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    shutil.copytree(pwa.ASSETS, assets)
    assert pwa.precache_version(assets=assets) == pwa.precache_version()
    with (assets / "styles.css").open("a") as styles:
        styles.write("\n.new-rule { color: red; }\n")
    assert pwa.precache_version(assets=assets) != pwa.precache_version()
