#!/usr/bin/env python3
"""A real SAML 2.0 IdP for the test sign-in's end-to-end test: pysaml2, whose
signatures are made by Debian's xmlsec1, on http://127.0.0.1 (a loopback IdP is
allowed over plain http, with a warning).

    pysaml2_idp.py SP_METADATA_FILE

prints `url=http://127.0.0.1:PORT` once it listens. The SSO endpoint is
`/sso?scenario=NAME`: the connection's IdP SSO URL chooses how the IdP answers.

- ok:             a correct answer, the assertion signed
- wrong_key:      signed with a key that is not the connection's certificate's
- wrong_audience: an assertion for another SP entity ID
- expired:        an assertion whose validity ended ten minutes ago
- no_email:       no email attribute
- wrapping:       the signed assertion moved into <Extensions> and a forged,
                  unsigned one (another user) put where it is read
"""
import http.server
import os
import re
import sys
import tempfile
import traceback
import urllib.parse

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.server import Server

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "..", "signin", "keys")
OTHER_SP = "https://other.example/sp"
SCENARIOS = ["ok", "wrong_key", "wrong_audience", "expired", "no_email", "wrapping"]
USER = {"email": ["ada@example.com"], "givenName": ["Ada"], "sn": ["Lovelace"]}


def server(base, sp_metadata, key="idp", lifetime=5):
    config = IdPConfig()
    config.load({
        "entityid": f"{base}/idp",
        "service": {"idp": {
            # An AuthnRequest's Destination must be one of these: one URL per scenario.
            "endpoints": {"single_sign_on_service": [
                (f"{base}/sso?scenario={name}", BINDING_HTTP_REDIRECT) for name in SCENARIOS]},
            "policy": {"default": {"lifetime": {"minutes": lifetime}, "attribute_restrictions": None,
                                   "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"}},
            "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
            "want_authn_requests_signed": False,
        }},
        "key_file": os.path.join(KEYS, f"{key}.key"),
        "cert_file": os.path.join(KEYS, f"{key}.pem"),
        "metadata": {"local": sp_metadata},
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "accepted_time_diff": 60,
    })
    return Server(config=config)


def wrap(xml):
    """The classic wrapping: the signed assertion hidden in Extensions, a forged copy read."""
    assertion = re.search(r"<(\w+:)?Assertion[\s>].*?</\1Assertion>", xml, flags=re.S)
    original = assertion.group(0)
    forged = re.sub(r"<(\w+:)?Signature[\s>].*?</\1Signature>", "", original, flags=re.S)
    forged = forged.replace("ada@example.com", "eve@example.com").replace('ID="', 'ID="forged', 1)
    protocol = re.match(r"(?:<\?xml[^>]*>\s*)?<(\w+:)?Response", xml).group(1) or ""
    status = re.search(rf"<{protocol}Status[\s>]", xml).start()
    extensions = f"<{protocol}Extensions>{original}</{protocol}Extensions>"
    return xml[:status] + extensions + xml[status:assertion.start()] + forged + xml[assertion.end():]


def main():
    sp_metadata = sys.argv[1]
    with open(sp_metadata) as f:
        text = f.read()
    # The same SP under another entity ID, for an IdP set up with the wrong audience.
    other = tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False)
    other.write(re.sub(r'entityID="[^"]*"', f'entityID="{OTHER_SP}"', text, count=1))
    other.close()
    metadata = [sp_metadata, other.name]

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), None)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    idps = {
        "idp": server(base, metadata),
        "other": server(base, metadata, key="other"),
        "expired": server(base, metadata, lifetime=-10),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            try:
                self.sso()
            except Exception:  # the test shows why the IdP could not answer
                body = traceback.format_exc().encode()
                self.send_response(500)
                self.send_header("content-type", "text/plain; charset=utf-8")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        def sso(self):
            url = urllib.parse.urlparse(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            if url.path != "/sso" or "SAMLRequest" not in query:
                self.send_error(404)
                return
            scenario = query.get("scenario", "ok")
            idp = idps["other" if scenario == "wrong_key" else "expired" if scenario == "expired" else "idp"]
            request = idp.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT).message
            acs = request.assertion_consumer_service_url
            identity = {k: v for k, v in USER.items() if not (scenario == "no_email" and k == "email")}
            response = idp.create_authn_response(
                identity, request.id, acs, OTHER_SP if scenario == "wrong_audience" else request.issuer.text,
                name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text="ada@example.com"),
                sign_assertion=True, sign_response=False)
            xml = str(response)
            if scenario == "wrapping":
                xml = wrap(xml)
            page = idp.apply_binding(BINDING_HTTP_POST, xml, acs, query.get("RelayState", ""), response=True)
            body = page["data"].encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd.RequestHandlerClass = Handler
    print(f"url={base}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
