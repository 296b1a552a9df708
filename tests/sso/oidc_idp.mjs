// A real OpenID Connect provider on loopback for the SSO tests (node oidc_idp.mjs; see conftest.py).
// Environment: PORT, CLIENT_ID, CLIENT_SECRET. Any login typed on its interaction
// page is an account whose e-mail is that login, verified unless the login starts with
// "unverified."; the password is not checked. Consent is
// granted at once, as for a first-party client. Prints "ready <issuer>" when it listens.
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: ["http://127.0.0.1/accounts/oidc/callback/"],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  cookies: { keys: ["test-only-cookie-key"] },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        // A login starting "unverified." is an address the provider does not vouch for.
        const verified = !id.startsWith("unverified.");
        return { sub: id, email: id, email_verified: verified, name: `SSO ${id.split("@")[0]}` };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});

// The app under test listens on a port chosen at run time (the live server) or answers as
// "testserver" (Django's test client): any loopback callback of allauth's is this client's.
const CALLBACK_HOSTS = new Set(["127.0.0.1", "localhost", "testserver"]);
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    CALLBACK_HOSTS.has(url.hostname) &&
    /^\/accounts\/oidc\/[^/]+\/login\/callback\/$/.test(url.pathname)
  );
};

provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
