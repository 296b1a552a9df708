from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """The programs and roles of the signed-in person, for the navigation bar (one query, lazily)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def memberships():
        if not hasattr(request, "_nav_memberships"):
            request._nav_memberships = list(
                user.memberships.select_related("program").order_by("program__name", "role")
            )
        return request._nav_memberships

    def administered():
        return [m.program for m in memberships() if m.role == "admin"]

    return {"nav_memberships": memberships, "nav_administered": administered}
