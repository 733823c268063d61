"""Demo data (``seed``: the demo district, idempotent) and scale data (``scale``: benchmarks) of the members app,
registered in ``members/contributions.py``."""
