"""A minimal Flask app: the yardstick for entity documents (same gunicorn settings)."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
