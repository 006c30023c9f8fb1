"""The command line: `python -m assistant …` (cli/main.py), one module per sub-command group."""
