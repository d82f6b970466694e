"""The training data meets its floors in every language; the dev and test sets
are large enough and kept apart from the training data and from each other."""

import pytest

from bot import paths
from nlu import datafiles
from nlu.evaluation import near_copies
from nlu.vocabulary import LANGUAGES, URGENT_RISKS

NLU_DIR = paths.PROJECT_ROOT / "data" / "nlu"


def _training(language):
    return [e for f in sorted(NLU_DIR.glob(f"{language}*.yml")) for e in datafiles.load_nlu_file(f)]


def _held_out(folder, language):
    return datafiles.load_eval_file(folder / f"{language}.jsonl")


HELD_OUT = [pytest.param(paths.EVAL_DATA, id="dev"), pytest.param(paths.TEST_DATA, id="test")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_training_floors(language):
    examples = _training(language)
    assert {e.language for e in examples} == {language}
    assert datafiles.problems(datafiles.summarize(examples)) == []


def test_at_least_1500_labelled_messages():
    assert sum(len(_training(language)) for language in LANGUAGES) >= 1500


@pytest.mark.parametrize("folder", HELD_OUT)
@pytest.mark.parametrize("language", LANGUAGES)
def test_held_out_set_size(folder, language):
    held_out = _held_out(folder, language)
    assert {e.language for e in held_out} == {language}
    assert len(held_out) >= 80
    assert sum(e.risk in URGENT_RISKS for e in held_out) >= 30


@pytest.mark.parametrize("folder", HELD_OUT)
@pytest.mark.parametrize("language", LANGUAGES)
def test_held_out_texts_are_not_near_copies_of_training_texts(folder, language):
    copies = near_copies([e.text for e in _held_out(folder, language)],
                         [e.text for e in _training(language)], threshold=0.6)
    assert copies == [], f"held-out texts too close to training texts: {copies[:3]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_test_texts_are_not_near_copies_of_dev_texts(language):
    copies = near_copies([e.text for e in _held_out(paths.TEST_DATA, language)],
                         [e.text for e in _held_out(paths.EVAL_DATA, language)], threshold=0.6)
    assert copies == [], f"test texts too close to dev texts: {copies[:3]}"


def test_near_copy_check_catches_a_light_rewording():
    original = "My boss keeps my passport and says I owe him 3000 euro for the flight"
    assert near_copies([original.replace("3000", "4000")], [original])
    assert not near_copies(["I lost my passport on the train, how do I get a new one?"], [original])
