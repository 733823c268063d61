"""Demo data (``seed``: the demo district, idempotent) and scale data (``scale``: benchmarks) of the organizations app,
registered in ``organizations/contributions.py``."""
