"""Changing our component code must retrain, never restore a stale cached component;
Rasa checks each data file's schema once per training, and a bad file still fails."""

import shutil
import uuid

import pytest
import yaml

from bot import paths, rasa_runtime


def test_training_config_stamps_our_components_with_the_code_version():
    config = yaml.safe_load(rasa_runtime.training_config().read_text(encoding="utf-8"))
    ours = [c for c in config["pipeline"] if c["name"].startswith("nlu.")]
    assert len(ours) == 4
    assert {c["code_version"] for c in ours} == {rasa_runtime.code_version()}
    others = [c for c in config["pipeline"] if not c["name"].startswith("nlu.")]
    assert all("code_version" not in c for c in others)


def test_code_version_changes_with_component_source_and_lexicon(tmp_path, monkeypatch):
    copy = tmp_path / "project"
    shutil.copytree(paths.PROJECT_ROOT / "nlu", copy / "nlu", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PROJECT_ROOT", copy)
    before = rasa_runtime.code_version()
    (copy / "nlu" / "screener.py").write_text((copy / "nlu" / "screener.py").read_text() + "\n# changed\n")
    after_code = rasa_runtime.code_version()
    assert after_code != before
    lexicon = next((copy / "nlu" / "lexicon").glob("*.yml"))
    lexicon.write_text(lexicon.read_text() + "\n")
    assert rasa_runtime.code_version() != after_code


def test_data_schema_is_checked_once_per_text_and_errors_still_raise():
    from rasa.shared.exceptions import YamlException
    from rasa.shared.nlu.training_data.formats.rasa_yaml import NLU_SCHEMA_FILE
    from rasa.shared.utils import validation

    rasa_runtime._validate_each_data_file_once()
    # A text no training in this session has read yet: the first check is a miss.
    good = (paths.PROJECT_ROOT / "data" / "nlu" / "en.yml").read_text(encoding="utf-8") + f"\n# {uuid.uuid4()}\n"
    bad = 'version: "3.1"\nnlu:\n- intent: greet\n  examples: 42\n'
    before = validation.validate_yaml_schema.cache_info().hits
    validation.validate_yaml_schema(good, NLU_SCHEMA_FILE)
    validation.validate_yaml_schema(good, NLU_SCHEMA_FILE)
    assert validation.validate_yaml_schema.cache_info().hits == before + 1
    for _ in range(2):
        with pytest.raises(YamlException):
            validation.validate_yaml_schema(bad, NLU_SCHEMA_FILE)
