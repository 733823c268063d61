"""Demo data (``seed``: the demo district, idempotent) and scale data (``scale``: benchmarks) of the committees app,
registered in ``committees/contributions.py``."""
