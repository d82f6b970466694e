"""Rasa, run in process: environment, quiet logging, training, loading, batches.

Everything that touches Rasa's own machinery lives here so the channels, the
CLI and the tests share one way of doing it:

* Rasa's structlog prints user texts and sender ids at debug level when Rasa
  runs as a library; :func:`configure_logging` silences it before anything loads.
* Rasa's training cache keys on component *config*, not code; :func:`train`
  stamps a hash of our ``nlu`` package into each custom component's config.
* Custom actions run in this process (:class:`InProcessActionEndpoint`), and the
  action-result JSON schema is compiled once instead of on every call.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import logging
import os
import re
import warnings
from pathlib import Path
from typing import Any, Optional, Sequence

import yaml

from bot import paths

QUIET_LOGGERS = ("rasa", "rasa_sdk", "tensorflow", "absl", "apscheduler", "sanic", "matplotlib",
                 "urllib3", "asyncio", "aiohttp", "httpx", "telegram", "pythainlp")


def prepare_environment() -> None:
    """Environment Rasa and TensorFlow read at import time; call before importing rasa."""
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    os.environ.setdefault("RASA_CACHE_DIRECTORY", str(paths.RASA_CACHE))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("LOG_LEVEL_LIBRARIES", "ERROR")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=UserWarning)


def configure_logging(level: int = logging.WARNING) -> None:
    """No user text or id may reach a log: Rasa's debug events carry both."""
    prepare_environment()
    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    configure_structlog(max(level, logging.WARNING))
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)


# -- training -------------------------------------------------------------------

def code_version() -> str:
    """A hash of the custom components' source and lexicon: any change retrains them."""
    digest = hashlib.sha256()
    package = paths.PROJECT_ROOT / "nlu"
    for source in sorted([*package.rglob("*.py"), *package.rglob("*.yml")]):
        digest.update(str(source.relative_to(package)).encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def training_config() -> Path:
    """``nlu/config.yml`` with our components stamped with :func:`code_version`."""
    config = yaml.safe_load(paths.RASA_CONFIG.read_text(encoding="utf-8"))
    version = code_version()
    for component in config.get("pipeline", []):
        if component["name"].startswith("nlu."):
            component["code_version"] = version
    generated = paths.RASA_CACHE.parent / "config.generated.yml"
    generated.parent.mkdir(parents=True, exist_ok=True)
    generated.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return generated


def training_domain() -> Path:
    """``data/domain/`` plus the response keys from ``data/responses``.

    The texts the user sees are rendered at run time by :mod:`bot.responses` in
    their language. Rasa only needs the keys that rules and stories use (as
    English responses); actions render the others through the same NLG, so
    ``rasa data validate`` has nothing to warn about.
    """
    from bot.responses import default_responses

    domain: dict = {}
    for path in sorted(paths.DOMAIN.glob("*.yml")):
        domain.update(yaml.safe_load(path.read_text(encoding="utf-8")))
    responses = default_responses()
    in_dialogue = set()
    for path in paths.TRAINING_DATA[1:]:
        in_dialogue |= set(re.findall(r"action: (utter_\w+)", path.read_text(encoding="utf-8")))
    domain["responses"] = {key: [responses.render(key, "en").as_rasa()] for key in sorted(in_dialogue)}
    generated = paths.RASA_CACHE.parent / "domain.generated.yml"
    generated.parent.mkdir(parents=True, exist_ok=True)
    generated.write_text(yaml.safe_dump(domain, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return generated


def _validate_each_data_file_once() -> None:
    """Check each training file's schema once per process, not at every read.

    Rasa reads the NLU data three times in one training (domain, fingerprint,
    NLU) and validates every file each time with a round-trip YAML parse: 13 s
    a pass for our data. The check depends on the text alone, so a pass is
    remembered per text (a failure is not cached: it raises every time).
    """
    from rasa.shared.utils import validation

    if getattr(validation.validate_yaml_schema, "cache_info", None):
        return
    validation.validate_yaml_schema = functools.lru_cache(maxsize=None)(validation.validate_yaml_schema)


def train(force: bool = False) -> Path:
    """Train (or keep, when nothing changed) the one model; return its path."""
    configure_logging()
    _validate_each_data_file_once()
    from rasa.model_training import train as rasa_train

    result = rasa_train(
        domain=str(training_domain()),
        config=str(training_config()),
        training_files=[str(p) for p in paths.TRAINING_DATA if p.exists()],
        output=str(paths.models_dir()),
        fixed_model_name=paths.MODEL_NAME,
        force_training=force,
    )
    if result.code != 0 or not result.model:
        raise RuntimeError(f"Rasa training failed (code {result.code}); run `udvej train` to see why")
    return Path(result.model)


def ensure_model() -> Path:
    """The trained model, training it first when there is none."""
    path = paths.model_path()
    return path if path.exists() else train()


# -- in-process custom actions ----------------------------------------------------

def _compile_action_result_schema() -> None:
    """Validate custom-action results with a validator compiled once.

    Rasa rebuilds a large JSON-schema validator on every custom action call
    (65 ms, 81% of a turn here); the check itself is kept.
    """
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction, "_udvej_compiled_validator", None):
        return
    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)  # the same draft jsonschema.validate picks

    def validate(self: Any, result: dict) -> bool:
        validator.validate(result)
        return True

    RemoteAction._validate_action_result = validate
    RemoteAction._udvej_compiled_validator = validator


def in_process_action_endpoint(package: str = "bot.actions"):
    """An action endpoint that runs rasa_sdk actions in this process, no HTTP."""
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk.executor import ActionExecutor

    class InProcessActionEndpoint(EndpointConfig):
        def __init__(self) -> None:
            super().__init__(url="inprocess://actions", enable_selective_domain=True)
            self.executor = ActionExecutor()
            self.executor.register_package(package)

        async def request(self, method: str = "post", subpath: Optional[str] = None,
                          content_type: Optional[str] = "application/json",
                          compress: bool = False, **kwargs: Any) -> Optional[dict]:
            call = dict(kwargs["json"])
            tracker = dict(call["tracker"])
            # Rasa hands us live references; actions must not mutate the tracker.
            tracker["latest_message"] = copy.deepcopy(tracker.get("latest_message"))
            tracker["slots"] = copy.deepcopy(tracker.get("slots"))
            call["tracker"] = tracker
            return await self.executor.run(call)

    _compile_action_result_schema()
    return InProcessActionEndpoint()


def load_agent(model: Optional[Path] = None, tracker_store: Any = None):
    """Load the trained model with in-process actions (load once, reuse)."""
    configure_logging()
    from rasa.core.agent import Agent

    from bot.responses import localized_nlg

    return Agent.load(str(model or ensure_model()), tracker_store=tracker_store,
                      generator=localized_nlg(), action_endpoint=in_process_action_endpoint())


# -- NLU in batches ------------------------------------------------------------

def parse_batch(agent: Any, texts: Sequence[str]) -> list[dict]:
    """Run the NLU part of the graph over many texts at once.

    The graph's components get the whole list, so vectorizing and the linear
    models work on a matrix rather than message by message.
    """
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.shared.core.trackers import DialogueStateTracker

    processor = agent.processor
    target = processor.model_metadata.nlu_target
    messages = [UserMessage(text=text, sender_id="batch") for text in texts]
    tracker = DialogueStateTracker.from_events("batch", [])
    outputs = processor.graph_runner.run(
        inputs={PLACEHOLDER_MESSAGE: messages, PLACEHOLDER_TRACKER: tracker},
        targets=[target])
    parsed = outputs[target]
    return [message.as_dict(only_output_properties=True) for message in parsed]
