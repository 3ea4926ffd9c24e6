"""Linguistic preprocessing that the statistical model does not do for news text."""
