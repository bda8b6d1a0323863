"""British English everywhere a person reads the product's words: the README and docs, the
framework files (questions, guidance, findings), and every message marked for translation in
the code (`_()`, `ngettext`, Qt's `tr()`). Checked with aspell's en_GB dictionary; the
project's own terms are listed in words-en-gb.txt."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORDS = Path(__file__).with_name("words-en-gb.txt")
ASPELL = shutil.which("aspell")
pytestmark = pytest.mark.skipif(
    ASPELL is None, reason="aspell is not installed (Debian: apt-get install aspell aspell-en)"
)
# Framework keys whose values are prose a reader sees.
PROSE_KEYS = frozenset(
    {
        "title",
        "text",
        "guidance",
        "finding",
        "criterion",
        "looked_for",
        "label",
        "words",
        "programme",
        "work_phrase",
        "inspectorate_role",
    }
)
MARKED = frozenset({"_", "N_", "gettext", "ngettext", "tr", "translate", "QT_TRANSLATE_NOOP"})


def unknown_words(text: str) -> set[str]:
    """The words of `text` that en_GB does not know."""
    done = subprocess.run(
        [str(ASPELL), "list", "--lang=en_GB", "--encoding=utf-8"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


def project_words() -> set[str]:
    lines = WORDS.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def markdown_prose(path: Path) -> str:
    """A Markdown file without its code: fenced blocks, inline code, link targets, URLs."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"https?://\S+", " ", text)


def framework_prose(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in PROSE_KEYS and isinstance(item, str):
                yield item
            else:
                yield from framework_prose(item)
    elif isinstance(value, list):
        for item in value:
            yield from framework_prose(item)


def marked_messages(path: Path) -> Iterator[str]:
    """The string literals passed to a translation call in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        if name not in MARKED:
            continue
        # Qt's translate(context, text, ...): the context is a class name, not words.
        args = node.args[1:] if name in ("translate", "QT_TRANSLATE_NOOP") else node.args
        for arg in args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield not_prose(arg.value)


def not_prose(message: str) -> str:
    """A message without what is not prose: mnemonic markers, placeholders ({count}, %n), options
    (--json), and names a user types as they are (sentence_type,rosh; iaow-2013; .xlsx)."""
    message = re.sub(r"&(?=\w)", "", message)  # a mnemonic's marker: "Pro&gress"
    message = re.sub(r"\{[^}]*\}|%\w", " ", message)
    return re.sub(r"\S*(?:--|[_=./\\0-9]|-rosh|high-)\S*", " ", message)


def product_text() -> dict[str, str]:
    sources = {}
    for path in [ROOT / "README.md", ROOT / "CHANGELOG.md", ROOT / "CONTRIBUTING.md"]:
        sources[path.name] = markdown_prose(path)
    for path in sorted((ROOT / "docs").glob("*.md")):
        sources[f"docs/{path.name}"] = markdown_prose(path)
    frameworks = ROOT / "inspector_app" / "resources" / "frameworks"
    for path in sorted(frameworks.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        sources[path.name] = "\n".join(framework_prose(data))
    for path in sorted((ROOT / "inspector_app").rglob("*.py")):
        messages = "\n".join(marked_messages(path))
        if messages:
            sources[str(path.relative_to(ROOT))] = messages
    return sources


def test_the_products_words_are_british_english() -> None:
    allowed = project_words()
    found = {
        source: sorted(unknown_words(text) - allowed) for source, text in product_text().items()
    }
    misspelt = {source: words for source, words in found.items() if words}
    assert misspelt == {}, "not in en_GB (fix, or add a real term to words-en-gb.txt)"


def test_the_check_finds_american_spellings_and_typos() -> None:
    planted = "The organization analyzed the color of the program's behavior. Recieved."
    assert unknown_words(planted) - project_words() == {
        "organization",
        "analyzed",
        "color",
        "behavior",
        "Recieved",
    }
