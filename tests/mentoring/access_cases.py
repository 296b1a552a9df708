from tests.access import EVERYONE, Case

CASES = [
    Case("home", ok=EVERYONE),
    Case("profile", ok=EVERYONE),
    Case("healthz", ok=EVERYONE, public=True),
]
