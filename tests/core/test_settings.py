"""Deployment settings read from the environment."""

from __future__ import annotations

import pytest

from skills_app.core import settings


def test_fifty_sign_ups_per_address_an_hour_unless_configured(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILLS_SIGNUPS_PER_ADDRESS_HOUR", raising=False)
    assert settings.signups_per_address_hour() == 50
    monkeypatch.setenv("SKILLS_SIGNUPS_PER_ADDRESS_HOUR", " 500 ")
    assert settings.signups_per_address_hour() == 500


@pytest.mark.parametrize("value", ["0", "-3", "lots", "2.5"])
def test_a_bad_sign_up_cap_setting_is_refused_clearly(
        monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SKILLS_SIGNUPS_PER_ADDRESS_HOUR", value)
    with pytest.raises(ValueError, match="SKILLS_SIGNUPS_PER_ADDRESS_HOUR"):
        settings.signups_per_address_hour()
