"""A minimal Flask app: the yardstick for entity documents, under the same HTTP server as ours
(granian, the front of ``midwest_lod.web.front``, the same settings).

    python bench/hello.py --port 8001 --workers 2
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"


def create_front() -> Any:
    """granian's factory: the app behind the front, with the settings of the environment."""
    from midwest_lod.config import Settings
    from midwest_lod.web.front import front_for

    return front_for(app, Settings.load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from midwest_lod.config import Settings
    from midwest_lod.web.front import server

    settings = Settings.load({"port": args.port, "web_workers": args.workers,
                              "response_cache_bytes": 0})  # hello has nothing to keep
    server.run(settings, target="hello:create_front")


if __name__ == "__main__":
    main()
