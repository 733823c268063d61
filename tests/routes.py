"""The routes of a URL configuration, found by walking the resolver: the generated tests (scope
matrix, authorization matrix, server errors) cover a new endpoint without being edited."""


def walk_routes(patterns, prefix=""):
    """``(regex, pattern)`` of every route under ``patterns``, the regex joined from its includes."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from walk_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern
