"""The Gradio web app (app.py builds it; handlers, render, guard and style serve it).

Before gradio is imported: no analytics, no version check, no telemetry, no hub lookups.
"""

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_RUN_HISTORY", "False")
