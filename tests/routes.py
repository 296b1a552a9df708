"""The project's named views, by their full name ("namespace:name"), walked from the resolver."""

from django.urls import get_resolver


def named_views() -> dict[str, object]:
    """{"programs:detail": its view function, ...} for every named route."""
    views = {}

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                inner = pattern.namespace or ""
                walk(pattern, f"{namespace}{inner}:" if inner else namespace)
            elif pattern.name:
                views[f"{namespace}{pattern.name}"] = pattern.callback

    walk(get_resolver())
    return views
