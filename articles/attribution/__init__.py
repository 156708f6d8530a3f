"""The attribution assistant: suggests who said what in a story's plain text. Pure Python."""

from articles.attribution.suggest import Suggestion, suggest_quotes

__all__ = ["Suggestion", "suggest_quotes"]
