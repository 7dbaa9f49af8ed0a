"""The service worker's version follows everything it precaches."""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

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


def test_the_worker_precaches_every_listed_asset_and_the_timers_bells() -> None:
    script = pwa.service_worker_script()
    for name in pwa.PRECACHED_ASSETS:
        assert f'"/{name}"' in script, name
    assert {"timer.js", "sounds/bowl.wav", "sounds/bell.wav", "sounds/chime.wav"} <= set(
        pwa.PRECACHED_ASSETS)


def test_the_bells_are_small_and_made_by_the_script_in_the_repository(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_bells", pwa.ROOT / "docs" / "make_bells.py")
    make_bells = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_bells)
    make_bells.OUT = tmp_path
    for name, (seconds, partials) in make_bells.BELLS.items():
        committed = pwa.ASSETS / "sounds" / f"{name}.wav"
        assert make_bells.write(name, seconds, partials).read_bytes() == committed.read_bytes()
        assert committed.stat().st_size < 64_000


# --- the offline page in every language -------------------------------------------------

def offline_client() -> object:
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    return TestClient(Starlette(routes=pwa.routes))


def test_each_language_has_its_offline_page() -> None:
    client = offline_client()
    spanish = client.get("/es/offline.html", headers={"accept-language": "en-US"})
    assert spanish.status_code == 200 and '<html lang="es">' in spanish.text
    assert "Estás sin conexión" in spanish.text and 'href="/es/"' in spanish.text
    assert "llama al 988 y marca 2, o envía AYUDA por texto al 988" in spanish.text
    assert "offline - Skills" not in spanish.text
    # safety.js draws the phone's copy of the plan with the page's words.
    assert "Guardado en este teléfono para que lo leas sin conexión." in spanish.text
    english = client.get("/offline.html?lang=en", headers={"accept-language": "es"})
    assert '<html lang="en">' in english.text and "<h1>You&#x27;re offline</h1>" in english.text


@pytest.mark.parametrize(("accept_language", "lang"), [
    ("es-MX,es;q=0.9", "es"), ("en-US,en;q=0.9", "en"), ("fr", "en"), ("", "en"),
    ("en;q=0.5,es;q=0.8", "es")])
def test_the_plain_offline_page_follows_the_browser(accept_language: str, lang: str) -> None:
    page = offline_client().get("/offline.html", headers={"accept-language": accept_language})
    assert f'<html lang="{lang}">' in page.text


def test_the_worker_precaches_every_languages_offline_and_help_pages() -> None:
    script = pwa.service_worker_script()
    assert ('{"code":"es","prefix":"/es","offline":"/es/offline.html","help":"/es/help/"}'
            in script)
    assert '"offline":"/offline.html?lang=en","help":"/help/"' in script
    assert "{{" not in script


def test_a_changed_translation_changes_the_version() -> None:
    spanish = pwa.offline_page_html("es")
    assert pwa.precache_version(offline_html=spanish) != pwa.precache_version()


def test_the_pages_kept_for_offline_are_the_patients_in_the_pages_language() -> None:
    from skills_app import text

    english = pwa.offline_pages()
    with text.language("es"):
        spanish = pwa.offline_pages()
    assert "/today/" in english and "/practice/do/" in english
    assert "/mindfulness/guided/body-scan/" in english  # the scripts, never opened yet
    assert spanish == ["/es" + path for path in english]
    # The worker keeps what it is asked to keep, and wakes pages on Background Sync.
    script = pwa.service_worker_script()
    assert '"warm"' in script and '"skills-queue"' in script and "PAGE_WAIT_MS" in script
