"""The parts of a posting that only the employer can state: framing, organisation facts,
location, pay, the equal-opportunity statement, how to apply.

Nothing here comes from the knowledge base, so nothing here is cited. Each line is the
user's own input, or a clearly marked placeholder (``[Compensation range]``) when the input
is empty, or standard wording the employer should confirm (the equal-opportunity statement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

# Settings that already name a place or an organisation unit read "for its <setting>";
# a bare service ("hospice", "palliative care") reads "for its <setting> program".
_UNIT = re.compile(
    r"\b(?:network|department|hospital|hospitals|clinic|clinics|cent(?:er|re)s?|practice|"
    r"program|programme|unit|system|group|facility|facilities|home|homes|service|services|"
    r"organi[sz]ation|agency|office|offices|site|sites|ward|team|plan|company)$",
    re.I,
)


class Inputs(Protocol):
    """What the posting lines are made of (DraftRequest and Draft both have these)."""

    @property
    def setting(self) -> str: ...
    @property
    def org(self) -> str: ...
    @property
    def seniority(self) -> str: ...
    @property
    def about(self) -> str: ...
    @property
    def reports_to(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def schedule(self) -> str: ...
    @property
    def fte_split(self) -> str: ...
    @property
    def compensation(self) -> str: ...
    @property
    def contact(self) -> str: ...


@dataclass(frozen=True)
class Line:
    """One uncited line of a posting: a labelled user input, a placeholder, or a template."""

    label: str
    text: str
    kind: str  # input | placeholder | template

    @property
    def placeholder(self) -> bool:
        return self.kind == "placeholder"

    def to_dict(self) -> dict[str, str]:
        return {"label": self.label, "text": self.text, "kind": self.kind}


def _field(label: str, value: str, placeholder: str) -> Line:
    if value:
        return Line(label, value, "input")
    return Line(label, f"[{placeholder}]", "placeholder")


def role(inputs: Inputs) -> str:
    return " ".join(p for p in (inputs.seniority.strip().title(), "Medical Director") if p)


def where(setting: str) -> str:
    """'urgent care network' -> 'urgent care network'; 'hospice' -> 'hospice program'."""
    setting = setting.strip()
    if not setting or _UNIT.search(setting):
        return setting
    return f"{setting} program"


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def framing(inputs: Inputs) -> str:
    """The summary's first sentence, in the employer's voice, from the inputs only."""
    title = role(inputs)
    place = where(inputs.setting)
    if inputs.org and place:
        return f"{inputs.org} is hiring {article(title)} {title} for its {place}."
    if inputs.org:
        return f"{inputs.org} is hiring {article(title)} {title}."
    if place:
        return f"We are hiring {article(title)} {title} for our {place}."
    return f"We are hiring {article(title)} {title}."


def _eeo(inputs: Inputs) -> str:
    who = inputs.org or "We"
    verb = "is" if inputs.org else "are"
    return (
        f"{who} {verb} an equal opportunity employer. All qualified applicants will receive "
        "consideration for employment without regard to race, colour, religion, sex, sexual "
        "orientation, gender identity, national origin, age, disability, veteran status or any "
        "other characteristic protected by law."
    )


def lines(slug: str, inputs: Inputs) -> list[Line]:
    """The uncited lines a section shows before (or instead of) its cited bullets."""
    if slug == "about":
        out = [_field("Organisation", inputs.org, "Organisation name")]
        place = where(inputs.setting)
        if place:
            out.append(Line("Setting", place[:1].upper() + place[1:], "input"))
        about = "About the organisation: mission, size, sites, patient population"
        out.append(_field("About us", inputs.about, about))
        return out
    if slug == "reporting":
        return [_field("Reports to", inputs.reports_to, "Reports-to title")]
    if slug == "location":
        return [
            _field("Location", inputs.location, "Location"),
            _field("Schedule and on-call", inputs.schedule, "Schedule and on-call expectations"),
            _field("FTE and time split", inputs.fte_split, "FTE and clinical/administrative split"),
        ]
    if slug == "compensation":
        return [_field("Compensation", inputs.compensation, "Compensation range and benefits")]
    if slug == "eeo":
        return [Line("", _eeo(inputs), "template")]
    if slug == "apply":
        return [_field("To apply", inputs.contact, "How to apply: contact or application link")]
    return []


def placeholders(sections: list[str], inputs: Inputs) -> list[str]:
    """Every placeholder still to fill in these sections, in posting order."""
    return [ln.text for slug in sections for ln in lines(slug, inputs) if ln.placeholder]


def templates(sections: list[str], inputs: Inputs) -> list[str]:
    """Standard wording the employer should confirm (section slugs)."""
    return [slug for slug in sections if any(ln.kind == "template" for ln in lines(slug, inputs))]
