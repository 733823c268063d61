"""换届选举 of branches: rules in ``services``."""
