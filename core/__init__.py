"""The platform layer: infrastructure every domain app stands on, with no domain knowledge."""
