"""Themes, groups of people and SDG targets of each unit, read by lemma (part of the classify stage).

- lemmatizer: word forms read as lemmas by pymorphy3;
- lexicon: the lexicon of the loaded rules (pipeline.rules) indexed for matching, by word form and first lemma;
- matching: which entries a unit's text matches, the columns themes, groups and sdg_targets, and the themes table.
"""
