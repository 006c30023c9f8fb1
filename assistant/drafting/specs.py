"""What each section is made of: its retrieval queries, the sentences it accepts, its themes."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    kind: str  # summary | duty | qualification | skill | kpi | career
    queries: tuple[str, ...]
    themes: tuple[tuple[str, str], ...] = ()  # (theme, keywords); first best match wins
    require: re.Pattern[str] | None = None  # a sentence must match this to be used
    avoid: re.Pattern[str] | None = None  # a sentence matching this is not used
    boost: re.Pattern[str] | None = None  # the section's own words: ranked higher
    # (family, theme, pattern): duty families the section should cover, one bullet each
    # first; a bullet's theme is its family's theme.
    families: tuple[tuple[str, str, re.Pattern[str]], ...] = ()


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Duty families a Medical Director posting covers, each shown under one of five themes, the
# families every posting lists first (the first ones lead when bullets are few).
# (family, theme, pattern): the family is what coverage counts, the theme is the heading.
# Patterns use stems, so "credentialing" and "credentials" are one family.
DUTY_FAMILIES: tuple[tuple[str, str, str], ...] = (
    (
        "clinical leadership and physician supervision",
        "Clinical leadership and physician oversight",
        r"\bsupervis|clinical\s+leadership|clinical\s+operations|clinical\s+governance|"
        r"medical\s+(?:staff|activities|direction|guidance)|oversee\s+(?:physicians|clinical|"
        r"the\s+(?:professional|clinical))|physicians|clinical\s+(?:staff|teams?|problems)|"
        r"treatment\s+regimens|direction\s+and\s+support|medical\s+(?:practices|decision)",
    ),
    (
        "quality and patient safety",
        "Quality and patient safety",
        r"quality|safety|adverse|incident|medical\s+errors|errors|patient\s+outcomes|"
        r"infection|\brisks?\b|standards\s+of\s+(?:patient\s+)?care|patient\s+care\s+standards",
    ),
    (
        "credentialing and privileging",
        "Clinical leadership and physician oversight",
        r"credential|privileg|qualifications\s+and\s+competencies|verify\w*\s+licensure",
    ),
    (
        "peer review and performance evaluation",
        "Clinical leadership and physician oversight",
        r"peer\s+reviews?|chart\s+audits|physician\s+performance|performance\s+(?:metrics|"
        r"evaluations?|monitoring|reviews?|issues)|output\s+evaluations",
    ),
    (
        "compliance and accreditation",
        "Compliance, policies and protocols",
        r"complian|comply|regulat|accredit|joint\s+commission|hipaa|\blaws?\b|legislation|"
        r"medicare|medicaid|controlled\s+substances|audits?\b",
    ),
    (
        "policies and protocols",
        "Compliance, policies and protocols",
        r"polic(?:y|ies)|protocols?|procedures|guidelines|clinical\s+pathways|best\s+practices",
    ),
    (
        "budget and resources",
        "Operations, budget and resources",
        r"budget|financ|\bcosts?\b|cost-effective|resources|revenue|staffing\s+models|"
        r"capital|expenditure|funding|supplies",
    ),
    (
        "staff training and development",
        "Staff development and collaboration",
        r"train|educat|professional\s+development|mentor|coach|workshops?|learning|"
        r"staff\s+development|skills\s+and\s+knowledge",
    ),
    (
        "collaboration with administration",
        "Staff development and collaboration",
        r"collaborat|administrators|administrative\s+(?:team|staff|decisions|professionals)|"
        r"leadership\s+team|liaison|bridge|stakeholders|department\s+heads|work\s+closely",
    ),
    (
        "recruitment and hiring",
        "Clinical leadership and physician oversight",
        r"recruit|hiring|\bselection\b",
    ),
    (
        "operations and administration",
        "Operations, budget and resources",
        r"administrative\s+aspects|(?<!clinical\s)operations|day-to-day|efficien",
    ),
    (
        "strategy and service development",
        "Operations, budget and resources",
        r"strateg|service\s+lines?|new\s+services|expan|growth|partner|innovat|long-term",
    ),
)
DUTY_THEMES = tuple((theme, "") for theme in dict.fromkeys(theme for _, theme, _ in DUTY_FAMILIES))
QUALIFICATION_THEMES = (
    (
        "Education",
        "degree md do medical school mph mba postgraduate doctor medicine osteopathic "
        "college education",
    ),
    ("Certification and licensure", "board certification certified licensed licensure"),
    (
        "Leadership and management experience",
        "leadership management administration administrative "
        "chief staff department head budgeting strategic",
    ),
    ("Clinical experience", "clinical years practice residency post-residency"),
    ("Training and development", "training continuing courses"),
)
SKILL_THEMES = (
    ("Leadership", "lead leadership motivate inspire team teams conflict change decisions"),
    (
        "Communication and relationships",
        "communicate communication relationships stakeholders listen interact collaborate",
    ),
    (
        "Strategic and analytical thinking",
        "strategic planning data analyze measurements problems solving thinking",
    ),
    (
        "Regulatory and financial knowledge",
        "regulations legislation finance cost compliance standards hipaa medicare",
    ),
    ("Clinical expertise", "clinical medical procedures treatments practices expertise"),
)
KPI_THEMES = (
    (
        "Clinical quality",
        "clinical outcomes complication mortality readmission infection errors "
        "adherence guidelines",
    ),
    ("Patient experience", "patient satisfaction"),
    ("Financial", "financial cost costs revenue budget pharmaceutical"),
    ("Compliance", "compliance regulatory"),
    ("Workforce", "employee engagement staff"),
    ("Operational", "length stay efficiency"),
)
# The "Reports to:" line is the employer's input (posting.lines), so no theme claims to be
# the reporting line; the bullets describe the working relationships the sources name.
REPORTING_THEMES = (
    ("Administration", "administrators administrative administration budgets business"),
    ("Clinical teams", "physicians doctors nurses clinical staff medical professionals team"),
    (
        "External relationships",
        "external regulatory bodies partnerships stakeholders vendors "
        "legal counsel compliance team",
    ),
)
CAREER_THEMES = (
    ("Skills you will build", "managerial strategic planning regulatory knowledge skills"),
    ("Where the role can lead", "executive chief officer vice president ceo senior"),
    ("Advancement", "advancement opportunities larger national organizations"),
)

# Sentences about the career or the person, not the job's duties. Skills are named by
# qualification sentences ("must possess strong leadership skills"), but a duty may train
# them ("organize training programs … to enhance their skills").
_NOT_DUTY = _re(
    r"\b(career|careers|aspiring|advance\s+to|candidates?|degree|years\s+of|job\s+market|"
    r"interview|benefits\s+of|becoming|demand\s+for|work\s+in\s+(?:various|a\s+variety)|"
    r"variety\s+of\s+settings|job\s+requires|"
    r"(?:possess\w*|ha(?:ve|s)|requires?|needs?|display\w*|demonstrat\w*)\s+(?:[\w,-]+\s+){0,5}"
    r"(?:skills|abilities)|(?:skills|abilities)\s+(?:are|is)\b)"
)
_QUAL = _re(
    r"\b(degree|certif\w*|licens\w*|residency|years|experience|training|education|M\.?D\.?|"
    r"D\.?O\.?|physician|doctor|MBA|MPH)\b"
)
_SKILL = _re(
    r"\b(abilit\w*|skills?|knowledge|understanding|capacity|capable|able|familiar|competenc\w*|"
    r"expertise|proficien\w*|awareness|acumen)\b"
)

SPECS: dict[str, Spec] = {
    "summary": Spec(
        "summary",
        (
            "what is a medical director",
            "the medical director is a physician leader who oversees clinical operations",
            "senior leadership role providing medical direction in a healthcare organization",
        ),
        require=_re(r"\b(medical\s+directors?|this\s+role|this\s+position|leadership\s+role)\b"),
        avoid=_NOT_DUTY,
        boost=_re(
            r"^(?:an?|the)\s+(?:\S+\s+){0,2}?medical\s+director\s+is\b|"
            r"senior\s+leadership\s+role|^medical\s+directors\s+(?:are|play)\b"
        ),
    ),
    "responsibilities": Spec(
        "duty",
        (
            "key responsibilities and duties of a medical director",
            "oversee clinical operations and supervise medical staff",
            "quality improvement and patient safety responsibilities",
            "ensure compliance with healthcare regulations and accreditation",
            "develop and implement clinical policies and protocols",
            "budget management, cost control and resource allocation",
            "staff education, training and mentorship of physicians",
            "strategic planning and new service line development",
            "physician credentialing, peer review and performance evaluation",
            "supervise physicians, nurse practitioners and other clinical staff",
            "review credentials, verify licensure and grant clinical privileges",
            "patient safety programs, incident reports and corrective actions",
            "organize training programs and educational sessions for clinical staff",
            "collaborate with administrators and the leadership team",
            "recruit, select and evaluate physicians and medical personnel",
        ),
        DUTY_THEMES,
        avoid=_NOT_DUTY,
        families=tuple((f, t, _re(p)) for f, t, p in DUTY_FAMILIES),
    ),
    "required-qualifications": Spec(
        "qualification",
        (
            "medical degree MD or DO required",
            "board certification in a relevant specialty",
            "years of clinical experience required before becoming a medical director",
            "licensed physician who has completed residency training",
            "core qualifications required for a medical director",
        ),
        QUALIFICATION_THEMES,
        require=_QUAL,
    ),
    "preferred-qualifications": Spec(
        "qualification",
        (
            "preferred qualifications for a medical director",
            "postgraduate degree MBA or MPH in healthcare administration preferred",
            "prior leadership experience such as chief of staff or department head",
            "experience with strategic planning, budgeting and quality improvement",
            "employers prefer candidates with management experience",
        ),
        QUALIFICATION_THEMES,
        require=_QUAL,
    ),
    "skills": Spec(
        "skill",
        (
            "skills and competencies essential for a medical director",
            "leadership and communication skills",
            "strategic thinking and problem solving ability",
            "ability to analyze data and interpret measurements",
            "knowledge of healthcare regulations and standards",
            "understanding of healthcare finance and cost management",
        ),
        SKILL_THEMES,
        require=_SKILL,
        avoid=_re(r"\b(degree|years\s+of|board\s+certification|residency)\b"),
    ),
    "kpis": Spec(
        "kpi",
        (
            "key performance indicators for a medical director",
            "how success is measured: clinical, operational and financial metrics",
            "patient satisfaction, clinical outcomes and financial performance",
            "reduce hospital readmission rates, infection rates and medication errors",
            "financial indicators such as cost per patient and revenue",
            "performance data, complication rates and adherence to clinical guidelines",
        ),
        KPI_THEMES,
        boost=_re(r"\b(key\s+performance\s+indicators|metrics|measured|kpis?)\b"),
    ),
    "reporting": Spec(
        "duty",
        (
            "reports progress to senior leadership",
            "liaison between clinical and administrative teams",
            "collaborate with administrators and department heads",
            "chain of command and lines of responsibility",
            "communicate with clinical staff and the leadership team",
            "work with the compliance team, legal counsel and regulatory bodies",
        ),
        REPORTING_THEMES,
        boost=_re(
            r"\b(senior\s+leadership|reports?\s+to|reporting|leadership\s+team|liaison|"
            r"top\s+management|chain\s+of\s+command)\b"
        ),
        require=_re(
            r"\b(report\w*|senior\s+leadership|leadership\s+team|administrat\w*|top\s+management|"
            r"chain\s+of\s+command|liaison|bridge|"
            r"stakeholders|department\s+heads|legal\s+counsel|compliance\s+team)\b"
        ),
        avoid=_NOT_DUTY,
    ),
    "career-path": Spec(
        "career",
        (
            "career advancement opportunities for medical directors",
            "early career clinical experience before becoming a medical director",
            "mid-career leadership positions such as department chair",
            "senior executive roles such as chief medical officer",
            "career path and progression to executive leadership",
        ),
        CAREER_THEMES,
        require=_re(
            r"\b(careers?|advance\w*|progress\w*|transition\w*|chief\s+medical\s+officer|"
            r"executive|mid-career|early|department\s+chair|vice\s+president|begin)\b"
        ),
        # Advice to job seekers ("For aspiring Medical Directors, the path …") is not what a
        # posting tells its candidate.
        avoid=_re(
            r"\b(you|your|interview|salar\w+|demand|market|benefits|aspiring|prospects|"
            r"path\s+to\s+success|seeking\s+mentorship|conferences)\b"
        ),
    ),
}

# Sentences about job-description documents (one article is about writing them), addressed
# to the reader, or leaning on the previous sentence ("these regulations") are not bullets.
META = _re(
    r"\b(description|outline|outlines|outlined|specifications?|documentation|document|"
    r"delineation|role\s+definition|definition\s+of\s+the\s+role|article|in\s+this\s+post|handbook|"
    r"tips?|FAQs?|Access\s+Plus\s+Health|thank\s+you|welcome|in\s+conclusion|to\s+summarize)\b"
)
# Blog and brochure phrasing that a posting's summary does not use.
BLOG = _re(
    r"\b(healthcare\s+industry|medical\s+field|key\s+leader|welcome|in\s+today|landscape|"
    r"ever-\w+|comprehensive\s+information|healthcare\s+company|vital\s+function)\b"
)
# A framing opener ("As a key leader in the healthcare industry, …") before the subject.
OPENER = _re(r"^(?:as|within|in)\s+[^,]{3,60},\s*")
PERSONAL = _re(r"\b(you|your|we|our|us)\b")
ANAPHORA = _re(
    r"\b(these|those|such\s+an?\s+individual|this\s+(?!role\b|position\b|post\b)\w+|them|it)\b"
)
EXAMPLE = _re(r"\b(for\s+example|for\s+instance|as\s+an\s+example|might|may|could)\b")
PREFERRED = _re(
    r"\b(prefer\w*|advantageous|valuable|valued|beneficial|additional|advanced|postgraduate|"
    r"prior|enhance\s+the\s+qualifications)\b"
)
PREFIX = {
    "summary": "sum",
    "responsibilities": "resp",
    "required-qualifications": "req",
    "preferred-qualifications": "pref",
    "skills": "skill",
    "kpis": "kpi",
    "reporting": "rep",
    "career-path": "career",
}
