"""How long a browser may keep each answer (core/caching.py)."""

from __future__ import annotations

import pytest

from skills_app.core.caching import IMMUTABLE, REVALIDATE, cache_control_for, is_content_hashed


@pytest.mark.parametrize("path", [
    "/assets/root-DicSt3p_.js", "/assets/manifest-3c002156.js", "/assets/entry.client-ByXnQf4V.js",
    "/assets/_es_._practice_._do_._index-CHDctvjK.js", "/assets/root-Ab_-9xYz.css"])
def test_build_files_named_by_their_content_are_kept_a_year(path: str) -> None:
    assert is_content_hashed(path)
    assert cache_control_for(path, 200) == IMMUTABLE
    assert cache_control_for(path, 304) == IMMUTABLE
    assert IMMUTABLE == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("path", [
    # The app's own files keep their names when they change.
    "/app.js", "/timer.js", "/styles.css", "/icons/icon-192.png", "/manifest.webmanifest",
    "/sw.js", "/favicon.ico", "/sounds/bell.wav",
    # Pages, and names that only look like a build file's.
    "/", "/signin/", "/progress.html", "/assets/", "/assets/app.js", "/assets/root-short.js",
    "/journal/assets/root-DicSt3p_.js", "/assets/root-DicSt3p_.js/x"])
def test_everything_else_is_asked_about_on_every_use(path: str) -> None:
    assert not is_content_hashed(path)
    assert cache_control_for(path, 200) == REVALIDATE == "no-cache"


def test_a_missing_build_file_is_not_kept_and_errors_get_nothing() -> None:
    assert cache_control_for("/assets/root-DicSt3p_.js", 404) == REVALIDATE
    assert cache_control_for("/assets/root-DicSt3p_.js", 500) is None
    assert cache_control_for("/auth/login", 403) is None
