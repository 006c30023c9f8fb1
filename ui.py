"""Launcher: `python ui.py [--host H] [--port P]` starts the web UI (assistant/web/app.py)."""

import sys

from assistant.web.app import main

if __name__ == "__main__":
    sys.exit(main())
