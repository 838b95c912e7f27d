"""docker-compose.yml stays valid and runs the same programs the tests run."""

from __future__ import annotations

import importlib
from pathlib import Path

from ruamel.yaml import YAML

from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_services_are_well_formed():
    compose = _compose()
    assert set(compose["services"]) >= {"portal", "scan", "reports"}
    for name, service in compose["services"].items():
        assert "build" in service or "image" in service, name
        for dep in service.get("depends_on", []):
            assert dep in compose["services"], f"{name} depends on unknown service {dep}"
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in compose.get("volumes", {}), f"{name}: undeclared volume {volume}"


def test_compose_portal_runs_the_demo_server_module():
    entry = _compose()["services"]["portal"]["entrypoint"]
    assert entry[:3] == ["python", "-m", "checker.demo.server"]
    server = importlib.import_module("checker.demo.server")
    server.build_arg_parser().parse_args(entry[3:])  # the flags the compose file passes exist


def test_compose_scan_command_parses_with_the_real_cli():
    command = _compose()["services"]["scan"]["command"]
    ctx = main.make_context("checker", list(command), resilient_parsing=False)
    sub = main.get_command(ctx, command[0])
    sub.make_context(command[0], list(command[1:]))  # raises on an unknown option
