"""Child process: one synthetic size through our pipeline and the plain LlamaIndex one.

python -m bench.scale --size N --workdir DIR [--questions Q]   -> one JSON line on stdout
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bench.synth import PerturbedEmbedder, write_corpus
from bench.util import model_dir

FIXED = [
    "What are the key responsibilities of a medical director?",
    "How is the annual budget reviewed?",
    "Which qualifications and clinical experience are required?",
    "Who supervises physicians and nurses on night shifts?",
]


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--workdir", type=Path, required=True)
    p.add_argument("--questions", type=int, default=60)
    p.add_argument("--skip-plain", action="store_true")
    p.add_argument("--plain-llm", default=None, help="OpenAI-compatible base URL: also time "
                   "the plain query engine answering with this LLM (bench.llamacpp)")
    p.add_argument("--llm-key", default=None)
    p.add_argument("--llm-questions", type=int, default=8)
    args = p.parse_args(argv)

    from assistant import Assistant
    from assistant.index.embeddings import OnnxEmbedder, ensure_onnx_model
    from assistant.index.ingest import embed_text
    from assistant.settings import Settings
    from assistant.text import split_sentences

    kdir = args.workdir / "knowledge"
    questions = write_corpus(kdir, args.size)
    questions = (FIXED + questions)[: args.questions]
    real = OnnxEmbedder(ensure_onnx_model(model_dir()))

    # Real embedding throughput, on a sample (and the pool of real vectors to perturb).
    from assistant.index.ingest import chunk_document, list_files
    from assistant.index.readers import read_document

    first = list_files(kdir)[0]
    sample = chunk_document(read_document(first.path, first.source), 256, 32)[:128]
    chunk_texts = [embed_text(c) for c in sample]
    sentence_texts = [s for c in sample for s in split_sentences(c.text)][:256]
    real.embed(chunk_texts[:8])  # warm-up
    t0 = time.perf_counter()
    pool = real.embed(chunk_texts)
    chunk_rate = len(chunk_texts) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    real.embed(sentence_texts)
    sentence_rate = len(sentence_texts) / (time.perf_counter() - t0)

    # Ours: the real ingest (read, chunk, store chunks + sentences, BM25) with stand-in vectors.
    settings = Settings(
        data_dir=args.workdir / "ours", knowledge_dir=kdir, model_cache_dir=model_dir()
    )
    fake = PerturbedEmbedder(pool)
    a = Assistant(settings, embedder=type("Fake", (), {"embed": staticmethod(fake)})())
    t0 = time.perf_counter()
    report = a.ingest()
    ours_ingest = time.perf_counter() - t0
    a = Assistant(settings, embedder=real, store=a.store)  # queries are embedded for real
    n_chunks = report.added
    n_sentences = report.embedded - report.added
    projected = ours_ingest + n_chunks / chunk_rate + n_sentences / sentence_rate

    def timed(fn, items, warm=3):  # type: ignore[no-untyped-def]
        for q in items[:warm]:
            fn(q)
        out = []
        for q in items:
            t = time.perf_counter()
            fn(q)
            out.append(time.perf_counter() - t)
        return out

    ours_retrieve = timed(a.retrieve, questions)
    ours_ask = timed(a.ask, questions)
    result = {
        "size": args.size,
        "chunks": n_chunks,
        "sentences": n_sentences,
        "embed_rate_chunks": chunk_rate,
        "embed_rate_sentences": sentence_rate,
        "ours_ingest_s": ours_ingest,
        "ours_ingest_projected_s": projected,
        "ours_retrieve": ours_retrieve,
        "ours_ask": ours_ask,
        "questions": len(questions),
    }
    if not args.skip_plain:
        from bench import plain

        chunks = a.store.all_chunks()
        vectors = fake([embed_text(c) for c in chunks])
        index, plain_ingest = plain.build(args.workdir / "plain", chunks, vectors, real)
        retriever, engine = plain.query_engine(index)
        result.update(
            plain_ingest_s=plain_ingest,
            plain_ingest_projected_s=plain_ingest + len(chunks) / chunk_rate,
            plain_retrieve=timed(retriever.retrieve, questions),
            plain_query=timed(engine.query, questions),
        )
        if args.plain_llm:  # the same engine, answering with a real (small, local) LLM
            from assistant.llm_client import build_llm
            from bench import llamacpp

            llm = build_llm(
                settings.model_copy(
                    update={"llm_base_url": args.plain_llm, "llm_api_key": args.llm_key,
                            "llm_model": llamacpp.MODEL, "llm_timeout": 600.0}
                )
            )
            _, llm_engine = plain.query_engine(index, llm=llm)
            picked = questions[: args.llm_questions]
            result.update(
                plain_query_llm=timed(llm_engine.query, picked, warm=1),
                plain_query_llm_ask=timed(a.ask, picked),
            )
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown of two Chroma instances


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
