"""Real-browser tests: the ``browser`` and ``phone`` fixtures live in ``tests/conftest.py``."""
