"""The training data meets its floors in every language; the dev set is large
enough and kept apart from the training data."""

import pytest

from bot import paths
from nlu import datafiles
from nlu.evaluation import near_copies
from nlu.vocabulary import LANGUAGES, URGENT_RISKS

NLU_DIR = paths.PROJECT_ROOT / "data" / "nlu"


def _training(language):
    return [e for f in sorted(NLU_DIR.glob(f"{language}*.yml")) for e in datafiles.load_nlu_file(f)]


def _dev(language):
    return datafiles.load_eval_file(paths.EVAL_DATA / f"{language}.jsonl")


@pytest.mark.parametrize("language", LANGUAGES)
def test_training_floors(language):
    examples = _training(language)
    assert {e.language for e in examples} == {language}
    assert datafiles.problems(datafiles.summarize(examples)) == []


def test_at_least_1500_labelled_messages():
    assert sum(len(_training(language)) for language in LANGUAGES) >= 1500


@pytest.mark.parametrize("language", LANGUAGES)
def test_dev_set_size(language):
    dev = _dev(language)
    assert {e.language for e in dev} == {language}
    assert len(dev) >= 80
    assert sum(e.risk in URGENT_RISKS for e in dev) >= 30


@pytest.mark.parametrize("language", LANGUAGES)
def test_dev_texts_are_not_near_copies_of_training_texts(language):
    copies = near_copies([e.text for e in _dev(language)], [e.text for e in _training(language)],
                         threshold=0.6)
    assert copies == [], f"dev texts too close to training texts: {copies[:3]}"


def test_near_copy_check_catches_a_light_rewording():
    original = "My boss keeps my passport and says I owe him 3000 euro for the flight"
    assert near_copies([original.replace("3000", "4000")], [original])
    assert not near_copies(["I lost my passport on the train, how do I get a new one?"], [original])
