"""No generator seams in a render: no empty slot, no mention of a file the project
lacks, every guarantee under its stable id with its tests. What a Django engineer
would trip over reading the project as if a colleague had started it by hand."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from harness.guarantees import GUARANTEES, PLANNED, RENDERED, TEMPLATE_TESTS
from harness.runner import REPO_ROOT
from harness.variants import VARIANTS

SKIPPED = {".venv", ".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
EMPTY_LITERALS = (ast.List, ast.Tuple, ast.Dict, ast.Set)


def project_files(project: Path) -> list[Path]:
    return [
        path
        for path in project.rglob("*")
        if path.is_file() and not SKIPPED & set(path.relative_to(project).parts)
    ]


def python_files(project: Path) -> list[Path]:
    return [path for path in project_files(project) if path.suffix == ".py"]


def is_empty(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Dict):
        return not node.keys
    return isinstance(node, EMPTY_LITERALS) and not node.elts  # type: ignore[attr-defined]


def test_no_module_holds_an_empty_slot(project):
    """A setting or constant bound to an empty literal, which code then loops over or
    unpacks: the trace of an abstraction over options this render does not have."""
    slots = [
        f"{path.relative_to(project)}:{node.lineno}: {ast.unparse(node)}"
        for path in python_files(project)
        if "migrations" not in path.parts
        for node in ast.parse(path.read_text()).body
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and is_empty(node.value)
    ]
    assert slots == []


def prose(path: Path) -> str:
    """What people read: a Python file's comments and strings, any other file whole."""
    text = path.read_text()
    if path.suffix != ".py":
        return text
    kinds = {tokenize.COMMENT, tokenize.STRING}
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return "\n".join(token.string for token in tokens if token.type in kinds)


# Paths in the project's own folders, pages of a docs folder, and documents by
# name (BENCHMARKS.md). (A route such as docs/oauth2-redirect.html is no file.)
MENTION = re.compile(
    r"(?<![\w/.-])("
    r"(?:config|tests|bench|harness|hooks|scripts|template|\.github|{slug})/[\w/.-]*\w"
    r"|docs/(?:[\w/.-]*\.md|decisions)"
    r"|[A-Z][A-Z_-]+\.md"
    r")(?![\w(])"
)
# Files the README's walkthrough has the reader create.
READERS_OWN = re.compile(r"orders")


def test_no_text_names_a_file_the_project_lacks(project, variant):
    slug = project_slug(project)
    mention = re.compile(MENTION.pattern.replace("{slug}", slug))
    existing = {str(path.relative_to(project)) for path in project.rglob("*")}
    missing = sorted(
        f"{path.relative_to(project)}: {name}"
        for path in project_files(project)
        if path.suffix in {".py", ".md", ".toml", ".yml", ".yaml", ".example", ".cfg", ""}
        for name in mention.findall(prose(path))
        if name.rstrip("/.") not in existing and not READERS_OWN.search(name)
    )
    assert missing == []


def project_slug(project: Path) -> str:
    (apps,) = {path.parent.parent.name for path in project.glob("*/core/apps.py")}
    return apps


GUARANTEE_ROW = re.compile(r"^\| SEC-(\d+) \| .+ \| (.+) \|$", re.MULTILINE)


def guarantees_of(project: Path) -> dict[int, list[str]]:
    rows: dict[int, list[str]] = {}
    for number, tests in GUARANTEE_ROW.findall((project / "docs" / "security.md").read_text()):
        rows.setdefault(int(number), []).extend(re.findall(r"`(tests/[\w/]+\.py::\w+)`", tests))
    return rows


def test_every_guarantee_has_its_id_and_its_tests(project):
    security = (project / "docs" / "security.md").read_text()
    rows = [line for line in security.splitlines() if re.match(r"^\| (?!Id |---)", line)]
    guarantees = guarantees_of(project)

    assert len(rows) == sum(1 for _ in GUARANTEE_ROW.finditer(security))
    assert sorted(set(guarantees) - RENDERED) == []
    assert [number for number, tests in guarantees.items() if not tests] == []


@pytest.mark.parametrize("number", sorted(RENDERED))
def test_every_guarantee_is_listed_by_some_variant(render, number):
    """Ids stay put: a guarantee the generated suites prove is in some render's list."""
    assert any(number in guarantees_of(render(variant)) for variant in VARIANTS), GUARANTEES[number]


def test_the_guarantees_the_template_proves_are_cited_by_their_tests():
    for number, path in TEMPLATE_TESTS.items():
        docstring = ast.get_docstring(ast.parse((REPO_ROOT / path).read_text())) or ""
        assert re.search(rf"\bSEC-{number}\b", docstring), (number, path)
    assert PLANNED.isdisjoint(RENDERED)
    assert set(GUARANTEES) == RENDERED | set(TEMPLATE_TESTS) | PLANNED
