"""A job description as people paste it -> sections and lines (pure functions).

Tolerant of what pastes from Word, PDFs and job boards look like: any bullet character
("•", "▪", "➢", "o", Word's private-use "\\uf0b7", "--"), numbering ("1)", "2.", "a."),
tabs and non-breaking spaces, CRLF, runs of blank lines, headings in capitals, with a colon,
in Markdown or in bold, a bullet wrapped onto the next line, two bullets on one line. A
paragraph is reviewed sentence by sentence; a lead-in ("The Medical Director will:") is not
a claim and is not reviewed. Also here: the description's bullet style (imperative, third
person, gerund; final full stop), so suggestions can be written the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.errors import InputError
from assistant.text import content_terms, split_sentences

MAX_CHARS = 60_000  # a long posting is 5-15 k characters
MAX_LINES = 300  # reviewed lines


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Posting sections by the words of their headings; the first match wins, so "Preferred
# qualifications" is preferred before it is a qualification.
HEADING_SLUGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("preferred-qualifications", _re(r"prefer|nice\s+to\s+have|desir|bonus\s+points|\bpluses\b")),
    ("eeo", _re(r"equal|\beeo\b|diversity|inclusion|non-?discriminat")),
    ("compensation", _re(r"compensation|salary|\bpay\b|benefit|perks|we\s+offer|package")),
    ("apply", _re(r"\bapply|application|contact|next\s+steps|how\s+to\s+(?:apply|join)")),
    ("about", _re(r"about\s+(?:us|the\s+(?:company|organi[sz]ation|hospital|practice|group))|"
                  r"who\s+we\s+are|our\s+(?:company|organi[sz]ation|story|mission)")),
    ("kpis", _re(r"success|measur|\bkpis?\b|performance\s+indicators|metrics")),
    ("reporting", _re(r"report|relationships")),
    ("location", _re(r"location|schedule|hours|\bshifts?\b|on[-\s]call|work\s+environment")),
    ("skills", _re(r"\bskills?\b|competenc|abilit|attributes")),
    ("required-qualifications", _re(r"qualif|requirement|required|education|experience|"
                                    r"credentials|must\s+have|what\s+you\s+bring|minimum")),
    ("responsibilities", _re(r"responsib|\bdut(?:y|ies)\b|what\s+you.?ll\s+do|essential\s+"
                             r"functions|accountabilit|\btasks\b|job\s+functions|scope")),
    ("summary", _re(r"summary|overview|about\s+the\s+(?:role|position|job)|purpose|"
                    r"introduction|\bposition\b|description|\bthe\s+role\b")),
)  # fmt: skip
# Sections only the employer can write: their lines are the employer's facts.
EMPLOYER = ("about", "location", "compensation", "eeo", "apply")
# "Reports to: Chief Medical Officer" is a labelled employer line, wherever it stands.
LABELS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("reports_to", "reporting", _re(r"reports?\s+to|reporting\s+to|reporting\s+line")),
    ("location", "location", _re(r"location|based\s+in|work\s+site|site")),
    ("schedule", "location", _re(r"schedule|hours|shifts?|on[-\s]call")),
    ("fte_split", "location", _re(r"fte|job\s+type|employment\s+type|status")),
    ("compensation", "compensation", _re(r"compensation|salary|pay(?:\s+range)?|benefits")),
    ("contact", "apply", _re(r"contact|to\s+apply|apply|application")),
)
_LABEL_LINE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z /&-]{1,30}?)\s*:\s*(?P<value>.*)$")
_BULLET = re.compile(
    r"^(?:[-–—*•·●○◦▪▫■□‣⁃➢➤►▶→✓✔❖◆◇⦿>+~\uf0a7\uf0b7\uf0d8\uf076\uf0fc]+"
    r"|o(?=\s)|\(?\d{1,2}[.)](?!\d)|\(?[a-hA-H][.)](?=\s))\s*"
)
_INLINE_BULLET = re.compile(r"\s+[•▪●◦‣➢➤►\uf0b7]\s+")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_BOLD_HEADING = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?$")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_END = re.compile(r"[.!?;]$")


@dataclass(frozen=True)
class Line:
    """One reviewed line of the description."""

    n: int  # 1-based position among the reviewed lines
    row: int  # line number in the text as given
    heading: str  # the heading it sits under, as written ("" before any heading)
    slug: str  # the posting section it belongs to (model.SECTIONS), "" when unknown
    text: str  # without its bullet marker or numbering
    bullet: bool
    field: str = ""  # labelled employer line: the draft input it fills ("reports_to", …)

    @property
    def employer(self) -> bool:
        """A fact only the employer can state (its section or its label says so)."""
        return bool(self.field) or self.slug in EMPLOYER

    def to_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "row": self.row,
            "heading": self.heading,
            "section": self.slug,
            "text": self.text,
            "bullet": self.bullet,
            "field": self.field,
        }


@dataclass(frozen=True)
class Parsed:
    title: str
    lines: tuple[Line, ...]
    headings: tuple[tuple[str, str], ...]  # (heading as written, its slug) in order


def check_text(text: object) -> str:
    """The description as clean text, or one InputError saying why it cannot be reviewed."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("The job description is not text (it is not UTF-8).") from None
    if not isinstance(text, str):
        raise InputError("The job description must be text.")
    if "\x00" in text:
        raise InputError("The job description contains binary data, not text.")
    if len(text) > MAX_CHARS:
        raise InputError(
            f"The job description is too long ({len(text):,} > {MAX_CHARS:,} characters); "
            "review one posting at a time."
        )
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    text = "".join(c if c in "\n\t" or ord(c) >= 32 else " " for c in text)
    if not any(ch.isalpha() for ch in text):
        raise InputError("The job description is empty: paste its text or upload a file.")
    return text


def heading_slug(heading: str) -> str:
    for slug, pattern in HEADING_SLUGS:
        if pattern.search(heading):
            return slug
    return ""


def label_of(text: str) -> tuple[str, str, str] | None:
    """'Reports to: Chief Medical Officer' -> (field, section slug, value)."""
    m = _LABEL_LINE.match(text)
    if not m:
        return None
    label = m.group("label").strip()
    for field, slug, pattern in LABELS:
        if pattern.fullmatch(label) or (pattern.match(label) and len(label.split()) <= 3):
            return field, slug, m.group("value").strip()
    return None


def strip_bullet(line: str) -> tuple[bool, str]:
    m = _BULLET.match(line)
    if not m or m.end() == 0:
        return False, line
    return True, line[m.end() :].strip()


def _heading(line: str, bullet: bool) -> str | None:
    """The heading a line is, or None. Capitals, a final colon, Markdown or bold, or a short
    line naming a posting section ("Key Responsibilities")."""
    m = _MD_HEADING.match(line)
    if m:
        return m.group(1).strip(" *_:")
    m = _BOLD_HEADING.match(line)
    if m:
        return m.group(1).strip(" :")
    if bullet:
        return None
    words = line.split()
    inner = line[:-1] if line.endswith(":") else line
    if len(words) <= 8 and line.endswith(":") and not re.search(r"[.!?]", inner):
        return inner.strip()
    letters = [c for c in line if c.isalpha()]
    if len(words) <= 10 and len(letters) >= 3 and all(c.isupper() for c in letters):
        return line.strip(" :")
    if len(words) <= 5 and not _END.search(line) and heading_slug(line) and not label_of(line):
        return line.strip()
    return None


def _pieces(body: str, bullet: bool) -> list[str]:
    """A bullet is one line (two when a paste put two bullets on one line); a paragraph is
    reviewed sentence by sentence."""
    parts = [p.strip() for p in _INLINE_BULLET.split(body) if p.strip()]
    if bullet:
        return parts
    out: list[str] = []
    for p in parts:
        sentences = split_sentences(p) if len(p.split()) > 6 else []
        out += sentences or [p]
    return out


_QUALIFICATION = _re(
    r"\b(degree|certif\w*|licen[cs]\w*|residency|years|experience|education|M\.?D\.?|"
    r"D\.?O\.?|MBA|MPH|fellowship|eligible)\b"
)


def _slug_of(text: str) -> str:
    """The section of a line under no heading (or an unknown one), from its words."""
    if verb_first(text):
        return "responsibilities"
    if _QUALIFICATION.search(text):
        return "required-qualifications"
    return "summary"


def verb_first(text: str) -> bool:
    from assistant.drafting.rewrite import verb_base

    first = re.findall(r"[A-Za-z]+", text[:40])
    return bool(first) and verb_base(first[0]) is not None and first[0].lower() not in _NOT_LEAD


_JOINS = frozenset(("and", "or", "to", "of", "for", "with", "in", "on", "at", "by", "from"))
_NOT_LEAD = frozenset(("is", "are", "be", "has", "have", "we", "our", "you", "join", "must"))


@dataclass
class _Item:
    """A line while parsing (a wrapped bullet grows; a blank line closes it)."""

    row: int
    heading: str
    slug: str
    text: str
    bullet: bool
    field: str
    open: bool


def parse(text: str) -> Parsed:
    """Sections and lines of a description (``check_text`` first)."""
    text = check_text(text)
    title = ""
    heading, slug = "", ""
    headings: list[tuple[str, str]] = []
    raw: list[_Item] = []
    rows = text.split("\n")
    for row, original in enumerate(rows, start=1):
        line = _SPACE.sub(" ", original).strip()
        if not line:
            if raw:
                raw[-1].open = False  # a blank line closes a wrapped bullet
            continue
        bullet, body = strip_bullet(line)
        if not body:
            continue
        found = _heading(line, bullet)
        if found is not None:
            if not title and not raw and not headings and not heading_slug(found):
                title = found
                continue
            heading, slug = found, heading_slug(found)
            headings.append((heading, slug))
            continue
        if not title and not raw and not headings and not bullet and _looks_like_title(body):
            title = body
            continue
        inline = _LABEL_LINE.match(body)
        if inline and not label_of(body) and inline.group("value"):
            name = inline.group("label").strip()
            if len(name.split()) <= 4 and heading_slug(name):  # "Summary: The role …"
                heading, slug = name, heading_slug(name)
                headings.append((heading, slug))
                body = inline.group("value").strip()
        labelled = label_of(body)
        if labelled and labelled[2]:
            field, lslug, _ = labelled
            raw.append(_Item(row, heading, lslug, body, bullet, field, False))
            continue
        last = raw[-1] if raw else None
        if (
            last is not None
            and not bullet
            and last.open
            and body[:1].islower()
            and not _END.search(last.text)
        ):  # a bullet wrapped onto this line
            last.text = f"{last.text} {body}"
            continue
        for piece in _pieces(body, bullet):
            if piece.endswith(":") and not bullet:  # a lead-in to the list that follows
                continue
            raw.append(_Item(row, heading, slug, piece, bullet, "", bullet))
    lines: list[Line] = []
    for item in raw:
        body = item.text.strip()
        if not content_terms(body) and not item.field:
            continue
        lines.append(
            Line(
                n=len(lines) + 1,
                row=item.row,
                heading=item.heading,
                slug=item.slug or _slug_of(body),
                text=body,
                bullet=item.bullet,
                field=item.field,
            )
        )
        if len(lines) > MAX_LINES:
            raise InputError(
                f"The job description has more than {MAX_LINES} lines to review; "
                "review one posting at a time."
            )
    if not lines:
        raise InputError("The job description has no lines to review (only headings?).")
    return Parsed(title, tuple(lines), tuple(headings))


def _looks_like_title(body: str) -> bool:
    words = body.split()
    return 1 <= len(words) <= 10 and not _END.search(body) and bool(re.search(r"[A-Z]", body))


# -- the description's own style ----------------------------------------------------------
@dataclass(frozen=True)
class Style:
    voice: str = "imperative"  # imperative | third | gerund
    period: bool = False  # bullets end with a full stop


def detect_style(lines: tuple[Line, ...] | list[Line]) -> Style:
    """The voice most of the duty lines use, and whether most bullets end with a stop."""
    from assistant.drafting.rewrite import verb_base

    votes = {"imperative": 0, "third": 0, "gerund": 0}
    duties = [ln for ln in lines if ln.slug == "responsibilities" and not ln.employer]
    for ln in duties:
        first = re.findall(r"[A-Za-z]+", ln.text[:30])
        if not first:
            continue
        word = first[0].lower()
        base = verb_base(word)
        if base is None:
            continue
        if word.endswith("ing") and base != word:
            votes["gerund"] += 1
        elif word.endswith("s") and base != word:
            votes["third"] += 1
        elif base == word:
            votes["imperative"] += 1
    voice = max(votes, key=lambda v: (votes[v], v == "imperative"))
    bullets = [ln for ln in lines if ln.bullet and not ln.employer]
    period = sum(ln.text.endswith(".") for ln in bullets) * 2 > len(bullets) if bullets else False
    return Style(voice, period)


def restyle(text: str, style: Style, quote: str = "") -> str:
    """An imperative bullet ("Monitor … and report …") in the description's voice; the
    caller verifies the result against the passage again. A word after "and", "or" or a
    comma is a coordinated verb when the source sentence (``quote``) inflects it as one
    ("… and implementing disciplinary actions") or it can only be a verb; when a word there
    could be either ("conduct peer reviews" or "program development"), the bullet stays
    imperative rather than risk a wrong form."""
    from lemminflect import getAllLemmas, getInflection

    from assistant.drafting.rewrite import verb_base

    out = text.rstrip(" .")
    if style.voice != "imperative":
        tag = "VBZ" if style.voice == "third" else "VBG"
        inflected = {
            verb_base(w) for w in re.findall(r"[a-z]+", quote.lower()) if w.endswith(("s", "ing"))
        }
        tokens = re.findall(r"[A-Za-z][A-Za-z'-]*|[^A-Za-z]+", out)
        prev = ""
        for i, tok in enumerate(tokens):
            if not tok[0].isalpha():
                if tok.strip() == ",":
                    prev = ","
                continue
            low = tok.lower()
            base = verb_base(low) == low
            coordinated = prev in ("and", "or", ",") and base
            verb = low in inflected or not getAllLemmas(low, upos="NOUN")
            nxt = next((t for t in tokens[i + 1 :] if t.strip()), "")
            if coordinated and not verb and nxt[:1].isalpha() and nxt.lower() not in _JOINS:
                return text.rstrip(" .") + ("." if style.period else "")  # either; keep it
            if base and (i == 0 or (coordinated and verb)):
                forms = getInflection(low, tag=tag)
                if forms:
                    new = forms[0]
                    tokens[i] = new[:1].upper() + new[1:] if tok[:1].isupper() else new
            prev = low
        out = "".join(tokens)
    return out + "." if style.period else out
