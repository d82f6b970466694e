"""Where udvej's files live, whatever the working directory.

Code, Rasa config and training data ship with the project; every piece of
state (keys, databases) lives under one data directory, ``UDVEJ_DATA_DIR``
(default: ``var/`` in the project). The trained model goes to ``models/``.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RASA_CONFIG = PROJECT_ROOT / "nlu" / "config.yml"
DOMAIN = PROJECT_ROOT / "data" / "domain"
TRAINING_DATA = [PROJECT_ROOT / "data" / "nlu", PROJECT_ROOT / "data" / "rules.yml",
                 PROJECT_ROOT / "data" / "stories.yml"]
EVAL_DATA = PROJECT_ROOT / "data" / "eval"
TEST_DATA = PROJECT_ROOT / "data" / "test"
STORY_TESTS = PROJECT_ROOT / "tests" / "test_stories.yml"
RASA_CACHE = PROJECT_ROOT / ".rasa" / "cache"
MODEL_NAME = "udvej"


def models_dir() -> Path:
    return Path(os.environ.get("UDVEJ_MODEL_DIR", PROJECT_ROOT / "models"))


def model_path() -> Path:
    return models_dir() / f"{MODEL_NAME}.tar.gz"


def data_dir() -> Path:
    """The one directory that holds udvej's state; created private (0700)."""
    directory = Path(os.environ.get("UDVEJ_DATA_DIR", PROJECT_ROOT / "var"))
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory
