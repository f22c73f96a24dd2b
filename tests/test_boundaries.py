"""Services never import each other; shared/ imports no service."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir()
                  if p.is_dir() and (p / "__init__.py").exists())


def imported_modules(folder: Path) -> set[tuple[Path, str]]:
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(path, alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((path, node.module))
    return found


def test_there_are_four_services() -> None:
    assert SERVICES == ["deals", "listings", "matching", "vouchers"]


def test_services_do_not_import_each_other() -> None:
    offences = []
    for service in SERVICES:
        for path, module in imported_modules(ROOT / "services" / service):
            parts = module.split(".")
            if parts[0] == "services" and len(parts) > 1 and parts[1] != service:
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def test_shared_imports_no_service() -> None:
    offences = [f"{p.relative_to(ROOT)} imports {m}" for p, m in imported_modules(ROOT / "shared")
                if m.split(".")[0] == "services"]
    assert offences == []


def test_domain_modules_are_pure() -> None:
    impure = ("sqlalchemy", "fastapi", "aiokafka", "asyncpg", "httpx", "starlette")
    offences = []
    for service in SERVICES:
        domain = ROOT / "services" / service / "domain"
        if domain.exists():
            offences += [f"{p.relative_to(ROOT)} imports {m}" for p, m in imported_modules(domain)
                         if m.split(".")[0] in impure or m.startswith("shared")]
    assert offences == []


def test_every_service_has_the_same_layout() -> None:
    expected = {"__init__.py", "__main__.py", "api.py", "main.py", "models.py", "migrations"}
    for service in SERVICES:
        present = {p.name for p in (ROOT / "services" / service).iterdir()}
        assert expected <= present, f"{service} lacks {expected - present}"
