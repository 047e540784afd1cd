"""Build each addon's README.rst from its readme/ fragments.

OCA addons carry a README.rst assembled from readme/*.md; this does the same
for every addon of the project (a folder with a __manifest__.py and a
readme/ folder). Run: python3 bin/readme_rst.py [--check] [addon ...]
"""

import ast
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


def addons():
    return sorted(
        path.parent
        for path in PROJECT.glob("*/__manifest__.py")
        if (path.parent / "readme").is_dir()
    )


def md_to_rst(text):
    # Inline code: `x` -> ``x`` (single backticks mean something else in RST).
    return re.sub(r"(?<!`)`([^`\n]+)`(?!`)", r"``\1``", text.strip())


def heading(title, char):
    return f"{title}\n{char * len(title)}\n"


def build(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    name = manifest["name"]
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
    names = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    stale = []
    for addon in addons():
        if names and addon.name not in names:
            continue
        target = addon / "README.rst"
        content = build(addon)
        if "--check" in sys.argv:
            if not target.exists() or target.read_text() != content:
                stale.append(addon.name)
        else:
            target.write_text(content)
    if stale:
        addons_stale = ", ".join(stale)
        sys.exit(
            f"README.rst is out of date in {addons_stale}: "
            "run python3 bin/readme_rst.py"
        )
