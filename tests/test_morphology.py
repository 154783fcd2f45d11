"""Russian lemmas: one analyzer per process, words split as SQLite's tokenizer splits them."""

from pipeline.morphology import analyzer, lemmas


def test_inflected_forms_give_their_dictionary_form():
    assert lemmas("мигрантов, мигрантам; Мигранты") == ["мигрант", "мигрант", "мигрант"]
    assert lemmas("Государствам-участникам следует") == ["государство", "участник", "следовать"]


def test_digits_and_punctuation_are_not_words():
    assert lemmas("статьи 10 и 14.3 «Протокола»") == ["статья", "и", "протокол"]
    assert lemmas("") == []


def test_the_analyzer_is_loaded_once():
    assert analyzer() is analyzer()
