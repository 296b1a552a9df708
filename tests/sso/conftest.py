from tests.sso.idp import oidc_app, oidc_idp  # noqa: F401 (fixtures)
