"""Measuring what a fact-checker relies on: figures read, facts linked, sources named.

Scores recoupe against hand labels of real multi-outlet stories (rpm2-dev); used by
``bench/figures_trust.py`` and the tests that hold its floors.
"""
