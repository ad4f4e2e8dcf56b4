"""The optional compiled block scanner (parsers/_blocks.c). Everything else is in pyproject.toml.

``optional=True``: where no C compiler is found the install still succeeds and parsers.blocks uses its Python
loop (same output; tests/test_blocks_compiled.py compares the two).
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("parsers._blocks", ["parsers/_blocks.c"], optional=True)])
