#!/usr/bin/env python3
"""Makes the signed SAML responses the sign-in checks are tested on.

Every signature here is made by an independent implementation, Debian's xmlsec1
(libxmlsec1 over OpenSSL), never by samlkit. Run from this folder:
    python3 make.py
It writes keys/ once (kept: the RSA signatures are then reproducible) and every
responses/*.xml. The expected verdicts live in tests/signin.rs.
"""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "keys")
OUT = os.path.join(HERE, "responses")

IDP = "http://www.okta.com/exk1samlkittest"
ACS = "https://sso.example.test/v1/b2b/sso/callback/saml-connection-test-0001"
AUDIENCE = "https://sso.example.test/v1/b2b/sso/saml/saml-connection-test-0001"
REQUEST = "_samlkit-test-request-0001"


def run(*args):
    subprocess.run(args, check=True, cwd=HERE)


def keys():
    os.makedirs(KEYS, exist_ok=True)
    subj = "/C=US/O=samlkit tests/CN={}"
    for name, algo in [("idp", ["-newkey", "rsa:2048"]), ("other", ["-newkey", "rsa:2048"]),
                       ("idp_ec", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"])]:
        if os.path.exists(os.path.join(KEYS, name + ".pem")):
            continue
        run("openssl", "req", "-x509", *algo, "-nodes", "-days", "7300", "-sha256",
            "-subj", subj.format(name), "-keyout", f"keys/{name}.key", "-out", f"keys/{name}.pem")


def signature(ref, method="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
              digest="http://www.w3.org/2001/04/xmlenc#sha256"):
    return f"""<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{method}"/><ds:Reference URI="#{ref}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="xs"/></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="{digest}"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo></ds:Signature>"""


def response(sign="assertion", audience=AUDIENCE, attributes=None, not_on_or_after="2026-12-01T12:05:00Z",
             in_response_to=REQUEST, method=None, digest=None):
    sig_args = {k: v for k, v in [("method", method), ("digest", digest)] if v}
    attributes = attributes if attributes is not None else {
        "email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace",
        "groups": "engineering"}
    attrs = "".join(
        f'<saml:Attribute Name="{k}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">'
        f'<saml:AttributeValue xsi:type="xs:string">{v}</saml:AttributeValue></saml:Attribute>'
        for k, v in attributes.items())
    irt = f' InResponseTo="{in_response_to}"' if in_response_to else ""
    assertion_sig = signature("_assertion-0001", **sig_args) if sign in ("assertion", "both") else ""
    response_sig = signature("_response-0001", **sig_args) if sign in ("response", "both") else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:xs="http://www.w3.org/2001/XMLSchema" Destination="{ACS}" ID="_response-0001"{irt} IssueInstant="2026-12-01T12:00:00Z" Version="2.0"><saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">{IDP}</saml2:Issuer>{response_sig}<saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_assertion-0001" IssueInstant="2026-12-01T12:00:00Z" Version="2.0"><saml:Issuer>{IDP}</saml:Issuer>{assertion_sig}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">ada@example.com</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData{irt} NotOnOrAfter="{not_on_or_after}" Recipient="{ACS}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="2026-12-01T11:59:00Z" NotOnOrAfter="{not_on_or_after}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="2026-12-01T12:00:00Z" SessionIndex="_session-0001"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>{attrs}</saml:AttributeStatement></saml:Assertion></saml2p:Response>
"""


def sign(name, template, key="idp"):
    tmpl = os.path.join(OUT, name + ".tmpl")
    with open(tmpl, "w") as f:
        f.write(template)
    run("xmlsec1", "--sign", "--privkey-pem", f"keys/{key}.key,keys/{key}.pem",
        "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
        "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        "--output", f"responses/{name}.xml", tmpl)
    os.remove(tmpl)


def main():
    keys()
    os.makedirs(OUT, exist_ok=True)
    sign("assertion_signed", response())
    sign("response_signed", response(sign="response"))
    # xmlsec1 fills one signature per run (the first in document order): the
    # assertion's first, then the response's around it.
    sign("both_signed", response())
    with open(os.path.join(OUT, "both_signed.xml")) as f:
        signed = f.read()
    issuer_end = signed.index("</saml2:Issuer>") + len("</saml2:Issuer>")
    sign("both_signed", signed[:issuer_end] + signature("_response-0001") + signed[issuer_end:])
    sign("ecdsa_p256", response(method="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"), key="idp_ec")
    sign("rsa_sha1", response(method="http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                              digest="http://www.w3.org/2000/09/xmldsig#sha1"))
    sign("wrong_audience", response(audience="https://other.example.test/saml/metadata"))
    sign("missing_email", response(attributes={"firstName": "Ada", "lastName": "Lovelace"}))
    sign("signed_by_other_key", response(), key="other")
    sign("idp_initiated", response(in_response_to=None))
    with open(os.path.join(OUT, "unsigned.xml"), "w") as f:
        f.write(response(sign="none"))


if __name__ == "__main__":
    main()
