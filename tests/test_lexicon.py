"""The concept lexicon: the same concepts in every language, and no false friends.

All languages' entries are merged (the vectorizer does not take a language),
so an entry that is an everyday word of another language fires its concept in
every message of that language. These were found by matching each
language's entries against the other languages' training messages.
"""

import pytest

from nlu.lexicon import default_lexicon, lexicon_entries
from nlu.text import fold, normalize, tokenize
from nlu.vocabulary import LANGUAGES


def _concepts(text):
    return {concept for concept, _ in default_lexicon().match([fold(t.text) for t in tokenize(normalize(text))])}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_the_reference_concepts_without_duplicates(language):
    entries = lexicon_entries(language)
    assert set(entries) == set(lexicon_entries("en"))
    for concept, words in entries.items():
        assert len(words) == len(set(words)), f"{language}.yml: {concept} lists an entry twice"


@pytest.mark.parametrize("text, concept", [
    ("rabotq ot 7 do 7", "HOURS"),                      # bg "ot" = from (th "OT" = overtime)
    ("chu cam tui ra ngoai", "SURVEILLANCE"),           # vi "cấm" = forbid (webcam "cam")
    ("suntem 5 intr-o camera", "SURVEILLANCE"),         # ro "cameră" = room
    ("toi goi ve nha moi lan", "DEBT"),                 # vi "lần" = time (da "lån" = loan)
    ("lam viec ngoai san", "REST"),                     # vi "sân" = yard (bg "сън" = sleep)
    ("seful face ce vrea", "ONLINE"),                   # ro "face" = does
    ("pryishov vid nykh", "IMAGES"),                    # uk "від" = from
    ("7 dni v sedmicata", "PASSPORT"),                  # bg "дни" = days (es DNI)
    ("nie sme ot Bulgaria", "PASSPORT"),                # bg "ние" = we (es NIE)
    ("cel care ne-a adus", "PHONE"),                    # ro "cel" = the one
    ("vi har fået en ny chef", "BOYFRIEND"),            # da "ny" = new (vi "ny" = lover)
    ("mai mult decat ne-au promis", "CHILD"),           # ro "decât" = than
    ("i want to quit this job", "TAKE_KEEP"),           # es "quitar" = take away
    ("it is very hot in the greenhouse", "STEAL"),      # ro "hoț" = thief
    ("prima data cand am venit", "OVERTIME_PAID"),      # ro "prima" = first (es bonus)
    ("работя по 12 часа на ден", "ADDRESS"),            # bg "ден" = day (uk "де" = where)
    ("бяхме били там", "HIT"),                          # bg "били" = been
    ("ese trabajo es duro", "STUDY"),                   # es "ese" = that
    ("mot cai tu lon", "PAY"),                          # vi "lớn" = big (da "løn" = pay)
    ("we sleep in the barn", "CHILD"),                  # en "barn" (da "barn" = child)
    ("ми просимо допомоги", "BEG"),                     # uk "просити" = to ask (bg "прося" = to beg)
])
def test_false_friends_fire_no_concept(text, concept):
    assert concept not in _concepts(text)


@pytest.mark.parametrize("text, concept", [
    ("han tager hele min løn", "PAY"),
    ("mit barn er alene", "CHILD"),
    ("me quitaron el pasaporte", "TAKE_KEEP"),
    ("мене били щодня", "HIT"),
    ("ho gắn camera trong phòng", "SURVEILLANCE"),
    ("караха ни да просим", "BEG"),
    ("ทำโอทีทุกวัน", "HOURS"),
    ("de ne-au luat camera de supraveghere", "SURVEILLANCE"),
])
def test_the_words_those_entries_meant_still_fire(text, concept):
    assert concept in _concepts(text)
