// A real SAML 2.0 identity provider on loopback for the SSO tests (node saml_idp.mjs; see idp.py),
// shaped like a university's Shibboleth IdP: metadata at /metadata, SP-initiated sign-in by the
// HTTP-Redirect binding at /sso, the answer POSTed back to the app's assertion consumer service,
// signed with the IdP's key (samlify builds and signs it). The assertion carries the attributes a
// Shibboleth IdP releases, by their OIDs: mail, displayName, givenName, sn, eduPersonPrincipalName.
// Environment: PORT, KEY_FILE, CERT_FILE (the signing key pair, PEM). Any login typed on its
// sign-in page is a person whose e-mail is that login; the password is not checked. Prints
// "ready <entity id>" when it listens.
import { readFileSync } from "node:fs";
import http from "node:http";
import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import samlify from "samlify";

const port = Number(process.env.PORT);
const base = `http://127.0.0.1:${port}`;
const entityID = `${base}/metadata`;

// The app's AuthnRequest is checked by hand below (issuer, ID, where to answer); the XML-schema
// check samlify offers needs Java or a native module, and the side under test is the app's.
samlify.setSchemaValidator({ validate: async () => "skipped" });

const ATTRIBUTES = [
  ["urn:oid:0.9.2342.19200300.100.1.3", "Mail"], // mail
  ["urn:oid:2.16.840.1.113730.3.1.241", "DisplayName"], // displayName
  ["urn:oid:2.5.4.42", "GivenName"], // givenName
  ["urn:oid:2.5.4.4", "Surname"], // sn
  ["urn:oid:1.3.6.1.4.1.5923.1.1.1.6", "Principal"], // eduPersonPrincipalName
];
const attributeStatement =
  "<saml:AttributeStatement>" +
  ATTRIBUTES.map(
    ([name, tag]) =>
      `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">` +
      `<saml:AttributeValue xsi:type="xs:string">{${tag}}</saml:AttributeValue></saml:Attribute>`,
  ).join("") +
  "</saml:AttributeStatement>";
const authnStatement =
  '<saml:AuthnStatement AuthnInstant="{IssueInstant}" SessionIndex="{AssertionID}">' +
  "<saml:AuthnContext><saml:AuthnContextClassRef>" +
  "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport" +
  "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>";
const responseTemplate = samlify.SamlLib.defaultLoginResponseTemplate.context
  .replace("{AuthnStatement}", authnStatement)
  .replace("{AttributeStatement}", attributeStatement);

const idp = samlify.IdentityProvider({
  entityID,
  privateKey: readFileSync(process.env.KEY_FILE),
  signingCert: readFileSync(process.env.CERT_FILE),
  nameIDFormat: ["urn:oasis:names:tc:SAML:2.0:nameid-format:transient"],
  singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${base}/sso` }],
  loginResponseTemplate: { context: responseTemplate, attributes: [] }, // attributes: written above
});

// The app under test listens on a port chosen at run time (the live server) or answers as
// "testserver" (Django's test client): any loopback assertion consumer service of allauth's is its.
const SP_HOSTS = new Set(["127.0.0.1", "localhost", "testserver"]);
function acsAllowed(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return SP_HOSTS.has(url.hostname) && /^\/accounts\/saml\/[^/]+\/acs\/$/.test(url.pathname);
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(response, status, title, body) {
  response.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
  response.end(
    `<!doctype html><html lang="en"><head><title>${escapeHtml(title)}</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  );
}

function hidden(fields) {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join("");
}

// The app's AuthnRequest (HTTP-Redirect binding: deflated, base64, in the query string).
function readAuthnRequest(encoded) {
  const xml = inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8");
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const request = doc.documentElement;
  const issuer = request.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Issuer")[0];
  return {
    id: request.getAttribute("ID"),
    acs: request.getAttribute("AssertionConsumerServiceURL"),
    issuer: issuer ? issuer.textContent.trim() : "",
  };
}

async function signIn(form, response) {
  const email = (form.get("login") || "").trim();
  const { id, acs, issuer } = Object.fromEntries(["id", "acs", "issuer"].map((k) => [k, form.get(k)]));
  if (!email || !acsAllowed(acs) || !issuer) return page(response, 400, "Bad request", "");
  const sp = samlify.ServiceProvider({
    entityID: issuer,
    assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: acs }],
    wantAssertionsSigned: true,
  });
  const local = email.split("@")[0];
  const now = new Date();
  const later = new Date(now.getTime() + 5 * 60 * 1000).toISOString();
  const { context } = await idp.createLoginResponse(sp, { extract: { request: { id } } }, "post", {}, {
    customTagReplacement: (template) => {
      const assertionID = idp.entitySetting.generateID();
      const values = {
        ID: idp.entitySetting.generateID(),
        AssertionID: assertionID,
        Destination: acs,
        Audience: issuer,
        SubjectRecipient: acs,
        Issuer: entityID,
        IssueInstant: now.toISOString(),
        StatusCode: samlify.Constants.StatusCode.Success,
        ConditionsNotBefore: now.toISOString(),
        ConditionsNotOnOrAfter: later,
        SubjectConfirmationDataNotOnOrAfter: later,
        NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
        NameID: `_${assertionID}`, // a new opaque name each time, as Shibboleth's default
        InResponseTo: id,
        Mail: email,
        DisplayName: `SAML ${local}`,
        GivenName: "SAML",
        Surname: local,
        Principal: `${local}@idp.${email.split("@")[1] || "example"}`,
      };
      return { id: values.ID, context: samlify.SamlLib.replaceTagsByValue(template, values) };
    },
  });
  page(
    response,
    200,
    "Signing you in",
    `<form method="post" action="${escapeHtml(acs)}">` +
      hidden({ SAMLResponse: context, RelayState: form.get("relay_state") || "" }) +
      `<button type="submit">Continue</button></form>` +
      "<script>document.forms[0].submit()</script>",
  );
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => resolve(new URLSearchParams(body)));
    request.on("error", reject);
  });
}

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url, base);
  try {
    if (request.method === "GET" && url.pathname === "/metadata") {
      response.writeHead(200, { "Content-Type": "application/samlmetadata+xml" });
      return response.end(idp.getMetadata());
    }
    if (request.method === "GET" && url.pathname === "/sso") {
      const authn = readAuthnRequest(url.searchParams.get("SAMLRequest") || "");
      if (!authn.id || !acsAllowed(authn.acs)) return page(response, 400, "Bad request", "");
      return page(
        response,
        200,
        "Test University sign-in",
        `<form method="post" action="/sso/login">` +
          hidden({ ...authn, relay_state: url.searchParams.get("RelayState") || "" }) +
          `<label>University e-mail <input name="login" type="email" required></label>` +
          `<label>Password <input name="password" type="password"></label>` +
          `<button type="submit">Sign in</button></form>`,
      );
    }
    if (request.method === "POST" && url.pathname === "/sso/login") {
      return await signIn(await readBody(request), response);
    }
    page(response, 404, "Not found", "");
  } catch (error) {
    console.error(error);
    page(response, 500, "Error", "");
  }
});

server.listen(port, "127.0.0.1", () => {
  console.log(`ready ${entityID}`);
});
