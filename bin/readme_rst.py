"""Build channel_distribution/README.rst from the readme/ fragments.

OCA addons carry a README.rst assembled from readme/*.md; this does the same
for the fragments this addon has. Run: python3 bin/readme_rst.py [--check]
"""

import re
import sys
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "channel_distribution"
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("CONTRIBUTORS.md", "Contributors"),
]


def md_to_rst(text):
    # Inline code: `x` -> ``x`` (single backticks mean something else in RST).
    return re.sub(r"(?<!`)`([^`\n]+)`(?!`)", r"``\1``", text.strip())


def heading(title, char):
    return f"{title}\n{char * len(title)}\n"


def build():
    parts = [
        "=" * 20 + "\nChannel Distribution\n" + "=" * 20 + "\n",
        "..\n   This file is generated from the readme/ fragments by "
        "bin/readme_rst.py: edit those.\n",
    ]
    for name, title in SECTIONS:
        path = ADDON / "readme" / name
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
    target = ADDON / "README.rst"
    content = build()
    if "--check" in sys.argv:
        if target.read_text() != content:
            sys.exit("README.rst is out of date: run python3 bin/readme_rst.py")
    else:
        target.write_text(content)
