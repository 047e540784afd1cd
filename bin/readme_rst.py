"""Build each addon's README.rst from its readme/ fragments.

OCA addons carry a README.rst assembled from readme/*.md; this does the same
for the fragments each addon of the project has (its name comes from the
manifest). Run: python3 bin/readme_rst.py [--check]
"""

import ast
import io
import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("CONTRIBUTORS.md", "Contributors"),
]


FENCE = re.compile(
    r"^```[ \t]*(\w*)[ \t]*\n(.*?)\n```[ \t]*$", re.MULTILINE | re.DOTALL
)


def inline_to_rst(text):
    # Inline code: `x` -> ``x`` (single backticks mean something else in RST).
    return re.sub(r"(?<!`)`([^`\n]+)`(?!`)", r"``\1``", text)


def block_to_rst(body):
    # A literal block: Odoo renders README.rst without Pygments, which a
    # code-block directive would need.
    lines = "\n".join(f"   {line}" if line else "" for line in body.splitlines())
    return f"::\n\n{lines}\n"


def md_to_rst(text):
    # Fenced code blocks become code-block directives, left as they are.
    parts, position = [], 0
    text = text.strip()
    for fence in FENCE.finditer(text):
        parts.append(inline_to_rst(text[position : fence.start()]))
        parts.append(block_to_rst(fence.group(2)))
        position = fence.end()
    parts.append(inline_to_rst(text[position:]))
    return "".join(parts)


def rst_problems(content):
    """What docutils warns about in content (Odoo renders README.rst with it)."""
    try:
        from docutils.core import publish_doctree
    except ImportError:
        return "docutils is not installed: run bin/setup"
    stream = io.StringIO()
    publish_doctree(
        content,
        settings_overrides={"warning_stream": stream, "report_level": 2},
    )
    return stream.getvalue()


def heading(title, char):
    return f"{title}\n{char * len(title)}\n"


def build(addon):
    name = ast.literal_eval((addon / "__manifest__.py").read_text())["name"]
    parts = [
        "=" * len(name) + f"\n{name}\n" + "=" * len(name) + "\n",
        "..\n   This file is generated from the readme/ fragments by "
        "bin/readme_rst.py: edit those.\n",
    ]
    for fragment, title in SECTIONS:
        path = addon / "readme" / fragment
        if not path.exists():
            continue
        if title:
            parts.append(heading(title, "="))
        parts.append(md_to_rst(path.read_text()) + "\n")
    parts.append(
        heading("Credits", "=")
        + "\n"
        + heading("Authors", "~")
        + "\n- channel_distribution authors\n"
    )
    return "\n".join(parts)


if __name__ == "__main__":
    for manifest in sorted(PROJECT.glob("*/__manifest__.py")):
        addon = manifest.parent
        target = addon / "README.rst"
        content = build(addon)
        if "--check" in sys.argv:
            if not target.exists() or target.read_text() != content:
                sys.exit(
                    f"{addon.name}/README.rst is out of date: "
                    "run python3 bin/readme_rst.py"
                )
            problems = rst_problems(content)
            if problems:
                sys.exit(f"{addon.name}/README.rst is not valid RST:\n{problems}")
        else:
            target.write_text(content)
