"""Benchmarks: `python -m bench` (or `make bench`) prints Markdown tables of measured numbers.

Every measurement that matters for memory or start-up runs in its own child process, so its
wall time and peak RSS (from wait4) belong to that process alone.
"""
