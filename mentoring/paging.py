"""Lists that grow with a program come in pages (Django's Paginator; templates/_pager.html)."""

from django.http import HttpRequest


def query_without(request: HttpRequest, param: str = "page") -> str:
    """The request's query string without `param`: the other filters and lists' pages, kept by
    a list's page links."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()
