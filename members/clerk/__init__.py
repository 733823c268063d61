"""The clerk's views: lists a district or street office works from (三会一课 落实情况)."""
