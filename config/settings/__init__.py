"""Settings package: ``base`` (embedded default and development) and ``production``."""
