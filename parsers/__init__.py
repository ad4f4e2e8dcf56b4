"""Input parsers. Each turns one kind of input into the normalized model in ``analyzer.model``."""
