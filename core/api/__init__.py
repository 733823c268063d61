"""Generic REST building blocks: renderers, ETags, concurrency, errors, pagination, schema."""
