"""Demo data (``seed``: the demo district, idempotent) and scale data (``scale``: benchmarks) of the projects app,
registered in ``projects/contributions.py``."""
