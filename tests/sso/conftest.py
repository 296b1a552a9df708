from tests.sso.idp import oidc_app, oidc_idp, saml_app, saml_idp  # noqa: F401 (fixtures)
