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


# Modules of shared/ that are pure Python, which a domain rule may use.
PURE_SHARED = {"shared.china_time"}


def test_domain_modules_are_pure() -> None:
    impure = ("sqlalchemy", "fastapi", "aiokafka", "asyncpg", "httpx", "starlette")
    offences = []
    for service in SERVICES:
        domain = ROOT / "services" / service / "domain"
        if domain.exists():
            offences += [f"{p.relative_to(ROOT)} imports {m}" for p, m in imported_modules(domain)
                         if m.split(".")[0] in impure
                         or (m.startswith("shared") and m not in PURE_SHARED)]
    assert offences == []


# Every service: the same top-level names, each a module or a package of modules.
LAYOUT = {"routes", "use_cases", "repository", "domain", "models", "schemas", "handlers",
          "migrations"}
# What a service may add beside them: its entry points, its settings, its periodic jobs.
OPTIONAL = {"__init__", "__main__", "main", "settings", "jobs"}
# Only the tables' declarations and the migrations speak SQLAlchemy (and the settings, for
# its URL type); everything else runs SQL on shared.db.Db.
SQLALCHEMY_ALLOWED = ("models.py", "migrations")


def _top_level_names(service: str) -> set[str]:
    return {p.stem for p in (ROOT / "services" / service).iterdir()
            if p.name != "__pycache__" and (p.suffix == ".py" or p.is_dir())}


def test_every_service_has_the_same_layout() -> None:
    for service in SERVICES:
        names = _top_level_names(service)
        assert LAYOUT <= names, f"{service} lacks {sorted(LAYOUT - names)}"
        assert names <= LAYOUT | OPTIONAL, f"{service} has {sorted(names - LAYOUT - OPTIONAL)}"


def test_only_models_and_migrations_use_sqlalchemy() -> None:
    offences = []
    for folder in [ROOT / "shared", *(ROOT / "services" / s for s in SERVICES)]:
        for path, module in imported_modules(folder):
            relative = path.relative_to(folder)
            allowed = relative.parts[0] in SQLALCHEMY_ALLOWED or (folder.name == "shared" and (
                relative.name in ("tables.py", "migrations.py", "migration_ops.py")
                or (relative.name == "settings.py" and module == "sqlalchemy.engine")))
            if module.split(".")[0] == "sqlalchemy" and not allowed:
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def _functions(path: Path) -> list[ast.AsyncFunctionDef | ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in tree.body if isinstance(node, ast.AsyncFunctionDef)]


def test_every_repository_function_takes_a_db() -> None:
    """Each public coroutine of a repository takes `db: Db` first: one handle type."""
    offences = []
    for service in SERVICES:
        repository = ROOT / "services" / service / "repository"
        paths = list(repository.rglob("*.py")) if repository.is_dir() else [
            repository.with_suffix(".py")]
        for path in paths:
            for function in _functions(path):
                arguments = function.args.args
                first = arguments[0] if arguments else None
                if function.name.startswith("_"):
                    continue
                if (first is None or first.arg != "db" or first.annotation is None
                        or ast.unparse(first.annotation) != "Db"):
                    offences.append(f"{path.relative_to(ROOT)}:{function.name}")
    assert offences == []



# The ORM's names: a service's tables are Core `Table`s on a module-level `metadata`.
ORM_NAMES = {"DeclarativeBase", "Mapped", "mapped_column", "declarative_base", "relationship"}


def _names(tree: ast.Module) -> set[str]:
    """Every name a module uses (`x`, `.x`) and every module and name it imports."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found |= {node.module or "", *(alias.name for alias in node.names)}
    return found


def test_every_models_declares_tables_on_metadata() -> None:
    """One way to declare tables: `metadata = MetaData()` and `Table(...)` on it, no ORM
    (tests/integration/foundation/test_models_match_migrations.py checks them against the
    migrated databases)."""
    offences = []
    for service in SERVICES:
        path = ROOT / "services" / service / "models.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned = {target.id for node in tree.body if isinstance(node, ast.Assign)
                    for target in node.targets if isinstance(target, ast.Name)}
        if "metadata" not in assigned:
            offences.append(f"{path.relative_to(ROOT)} defines no `metadata`")
        offences += [f"{path.relative_to(ROOT)} uses {name}" for name in sorted(_names(tree))
                     if name in ORM_NAMES or name.startswith("sqlalchemy.orm")]
    assert offences == []
