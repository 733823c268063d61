"""The statistics framework: blocks of figures every app registers, computed set-based for many
nodes at once (``framework``), and the SQL pieces that know no tree (``sql``)."""
