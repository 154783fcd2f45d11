"""The tables of the committed source, as the build hands them to every format's writer."""

from __future__ import annotations

from functools import cache

from pipeline import DEFAULT_SOURCE
from pipeline.rules import load_rules
from pipeline.stages.classify import classify
from pipeline.stages.extract import extract
from pipeline.stages.parse import parse
from pipeline.stages.tabulate import Tables, tabulate


@cache
def source_tables() -> Tables:
    """Extract, parse, tabulate and classify the committed source once per test session."""
    return classify(tabulate(parse(extract(DEFAULT_SOURCE))), load_rules(), warn=print)
