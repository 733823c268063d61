"""民主评议党员: yearly appraisal of each branch's members; rules in ``services``."""
