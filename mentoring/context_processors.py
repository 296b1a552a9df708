from django.http import HttpRequest

from mentoring import viewer


def navigation(request: HttpRequest) -> dict:
    """The programs and roles of the signed-in person, for the navigation bar: the request's one
    fetch of memberships (mentoring.viewer), read lazily, shared with the home panels."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def memberships():
        return viewer.memberships(user)

    def administered():
        return [m.program for m in viewer.memberships(user) if m.role == "admin"]

    return {"nav_memberships": memberships, "nav_administered": administered}
