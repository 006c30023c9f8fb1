"""How likely a candidate sentence is to be on the point: a logistic model over a few
features, fitted to the natural eval set's on-the-point labels.

The model is data (``sentence_model.json``), refitted by ``scripts/train_sentence_model.py``,
which also prints its held-out accuracy (fitted on half the cases, tested on the other
half). Features, in order, are listed in FEATURES; each is cheap and needs no model beyond
the sentence vectors already stored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FEATURES = (
    "sim",  # cosine to the whole question (with its follow-up context)
    "focus_sim",  # cosine to the question's focus words
    "lexical",  # share of the focus words it uses, rarer words weighing more
    "heading_focus",  # share of the focus words in its section path
    "authored",  # its heading states the question (an FAQ answer)
    "rank",  # its passage's retrieval rank (1 = first)
    "generic",  # cosine to the knowledge base's average sentence
    "defines",  # says what the role is, for a definition or focus-less question
    "depends",  # opens by pointing back ("This ...")
    "log_words",  # length
    "informative",  # content words that are not filler (tens)
    "labelled",  # a leading label ("Tip 8:") was left out
    "sim_x_focus",  # both similarities high at once
    "praise",  # a stock claim of importance ("plays a crucial role in ...")
    "hedged",  # a hedged, concrete claim ("may have limited ...", "often ...")
    "yesno_lexical",  # a yes/no question's focus words in the sentence
)
MODEL_PATH = Path(__file__).with_name("sentence_model.json")


@dataclass(frozen=True)
class SentenceModel:
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def probability(self, x: Sequence[float]) -> float:
        z = self.bias + sum(
            w * (v - m) / s
            for w, v, m, s in zip(self.weights, x, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "mean": list(self.mean),
            "scale": list(self.scale),
        }


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> SentenceModel | None:
    """The shipped model, or None when it is missing or was fitted to other features."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("features") != list(FEATURES):
        return None
    return SentenceModel(
        tuple(data["weights"]), float(data["bias"]), tuple(data["mean"]), tuple(data["scale"])
    )


def fit(
    rows: Sequence[Sequence[float]], labels: Sequence[bool], l2: float = 0.01, steps: int = 3000
) -> SentenceModel:
    """Logistic regression by gradient descent on standardised features (numpy only)."""
    import numpy as np

    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    mean, scale = x.mean(0), x.std(0) + 1e-6
    xn = (x - mean) / scale
    w = np.zeros(x.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xn @ w + b)))
        w -= 0.5 * (xn.T @ (p - y) / len(y) + l2 * w)
        b -= 0.5 * float((p - y).mean())
    return SentenceModel(
        tuple(round(float(v), 6) for v in w),
        round(b, 6),
        tuple(round(float(v), 6) for v in mean),
        tuple(round(float(v), 6) for v in scale),
    )
