"""The one tokenizer: eight languages, offsets into the original text; negation scope."""

import unicodedata

import pytest

from nlu.features import NgramVectorizer
from nlu.text import fold, letter_count, normalize, tokenize


@pytest.mark.parametrize(
    "text, words",
    [
        ("My boss took my passport!", ["My", "boss", "took", "my", "passport"]),
        ("Chefen har mit pas, siger han", ["Chefen", "har", "mit", "pas", "siger", "han"]),
        ("Șeful mi-a luat pașaportul", ["Șeful", "mi", "a", "luat", "pașaportul"]),
        ("Шефът ми взе паспорта", ["Шефът", "ми", "взе", "паспорта"]),
        ("Chủ lấy hộ chiếu của tôi", ["Chủ", "lấy", "hộ", "chiếu", "của", "tôi"]),
        ("Господар забрав мій паспорт", ["Господар", "забрав", "мій", "паспорт"]),
        ("นายจ้างยึดพาสปอร์ตของฉัน", ["นายจ้าง", "ยึด", "พาสปอร์ต", "ของ", "ฉัน"]),
    ],
)
def test_words_and_offsets(text, words):
    tokens = tokenize(text)
    assert [t.text for t in tokens] == words
    for token in tokens:
        assert text[token.start:token.end] == token.text


def test_thai_marks_stay_inside_words():
    tokens = tokenize("ฉันไม่ได้รับเงินเดือน")
    assert "".join(t.text for t in tokens) == "ฉันไม่ได้รับเงินเดือน"
    assert all(not unicodedata.category(t.text[0]).startswith("M") for t in tokens)


def test_mixed_thai_and_latin_keeps_offsets():
    text = "boss ยึด passport ของฉัน"
    for token in tokenize(text):
        assert text[token.start:token.end] == token.text


def test_decomposed_vietnamese_is_normalized():
    decomposed = unicodedata.normalize("NFD", "hộ chiếu")
    assert normalize(decomposed) == "hộ chiếu"
    assert [t.text for t in tokenize(normalize(decomposed))] == ["hộ", "chiếu"]


@pytest.mark.parametrize("text", ["", "   ", "🙏🙏", "!!!"])
def test_texts_without_words_give_no_tokens(text):
    assert tokenize(text) == []


@pytest.mark.parametrize("word, folded", [("Pașaportul", "pasaportul"), ("hộ chiếu", "ho chieu"),
                                          ("søster", "soster"), ("ĐÓNG", "dong"), ("año", "ano")])
def test_fold_strips_accents(word, folded):
    assert fold(word) == folded


def test_letter_count_ignores_digits_and_emoji():
    assert letter_count("555 🙏 ok") == 2


@pytest.mark.parametrize("text, negated", [
    ("they do not lock the door", ["lock", "the", "door"]),
    ("nobody locks us or forbids us to go out", ["locks", "us", "or", "forbids", "us", "to"]),
    ("they do not pay but they lock us in", ["pay"]),
    ("we can go out or stay home", []),
    ("chu ko khoa cua hay cam tui ra ngoai", ["khoa", "cua", "hay", "cam", "tui", "ra"]),
])
def test_negation_scope_runs_to_the_clause_end_and_on_through_or(text, negated):
    words = text.split()
    scope = NgramVectorizer._negation_scope(words)
    assert [w for w, inside in zip(words, scope) if inside] == negated
