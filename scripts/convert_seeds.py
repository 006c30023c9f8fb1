"""One-off conversion of the five seed web-page dumps into knowledge/*.md (kept for review).

Headings are recovered by line number (checked by hand against the seeds), bullets become
Markdown list items, and web debris is dropped; every other line is copied verbatim.

    python scripts/convert_seeds.py ../shared/knowledge-seeds knowledge
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SPECS: dict[str, dict] = {
    "000_5154841425c4f5b5.txt": {
        "out": "what-does-a-medical-director-do.md",
        "title": "What does a Medical Director do?",
        "h1": {1},
        "h2": {},
        "h3": set(),
        "debris": set(),
    },
    "001_1428315dad9cba76.txt": {
        "out": "medical-director-key-responsibilities.md",
        "title": "Key Responsibilities of a Medical Director",
        "publisher": "Access Plus Health",
        "insert": {0: "# Key Responsibilities of a Medical Director", 61: "## Conclusion"},
        "h2": {5, 13, 21, 29, 37, 45, 53},
        "h3": set(),
        "debris": {63, 64, 65, 66},  # "Contact Us" and the form's messages
    },
    "002_72c9168c897cae6e.txt": {
        "out": "medical-director-job-title.md",
        "title": "Medical Director Job Title",
        "h1": {1},
        "h2": {
            3,
            7,
            11,
            15,
            31,
            45,
            71,
            99,
            129,
            151,
            177,
            181,
            185,
            189,
            193,
            197,
            201,
            207,
            211,
            217,
            223,
            229,
            233,
        },
        "h3": {117, 235, 239, 243},
        "h3_colon": True,  # "Clinical oversight:" style sub-headings
        "debris": set(),
    },
    "003_868536fe530610b1.txt": {
        "out": "medical-director-job-description.md",
        "title": "Medical Director Job Description",
        "insert": {0: "# Medical Director Job Description"},
        "h2": {4, 19, 23, 38, 53, 68, 83, 98, 114, 126},
        "h3": {100, 102, 104, 106, 108, 110},
        "h3_after_dash": True,  # "-" line, then the sub-heading
        "debris": set(),
    },
    "004_85f06c858173df93.txt": {
        "out": "five-key-expectations-for-medical-director-roles.md",
        "title": "5 Key Expectations for Medical Director ROLES",
        "publisher": "Chelle Law",
        "h1": {1},
        "h2": {9, 26, 53, 72, 76, 88, 100, 112, 124, 138},
        "h3": {
            11,
            16,
            21,
            28,
            33,
            38,
            43,
            48,
            55,
            60,
            65,
            78,
            83,
            90,
            95,
            102,
            107,
            114,
            119,
            126,
            131,
            140,
            144,
            148,
            152,
            156,
        },
        "insert": {161: "## Conclusion"},
        # repeated title lines, the feed footer (its publisher is kept in the front matter)
        "debris": {3, 5, 163, 165, 167, 169, 170},
    },
}

BULLET = re.compile(r"^\s*•\s*([^:]{2,80}):\s*(.*)$")


def convert(src: Path, spec: dict) -> str:
    lines = src.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    inserts = spec.get("insert", {})
    if 0 in inserts:
        out += [inserts[0], ""]
    for n, raw in enumerate(lines, start=1):
        if n in inserts and n != 0:
            out += [inserts[n], ""]
        line = raw.rstrip()
        stripped = line.strip()
        if n in spec["debris"] or stripped in ("", ".", "-"):
            continue
        if n in spec.get("h1", set()):
            out += [f"# {stripped}", ""]
        elif n in spec["h2"]:
            out += [f"## {stripped}", ""]
        elif n in spec["h3"] or spec.get("h3_after_dash") and n > 1 and lines[n - 2].strip() == "-":
            out += [f"### {stripped}", ""]
        elif spec.get("h3_colon") and stripped.endswith(":") and len(stripped) < 60:
            out += [f"### {stripped[:-1]}", ""]
        elif m := BULLET.match(line):
            out.append(f"- **{m.group(1).strip()}:** {m.group(2).strip()}")
        else:
            if out and out[-1].startswith("- "):
                out.append("")
            out += [stripped, ""]
    body = "\n".join(out)
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    front = ["---", f"title: {spec['title']}"]
    if spec.get("publisher"):
        front.append(f"publisher: {spec['publisher']}")
    front += [f"source_file: {src.name}", "---", ""]
    return "\n".join(front) + body


def main(seeds: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, spec in SPECS.items():
        (target / spec["out"]).write_text(convert(seeds / name, spec), encoding="utf-8")
        print(f"{name} -> {target / spec['out']}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
