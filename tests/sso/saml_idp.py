"""A real SAML 2.0 identity provider for the tests, standing in for an eHerkenning broker: pysaml2's `Server`
behind a small WSGI app on 127.0.0.1, started in a thread by the test.

It receives the register's signed AuthnRequest (HTTP-Redirect), shows a page where the tester picks who signs in
(a company's KvK number, the person's pseudonym and the assurance level, as a broker would assert them), and
answers with a signed assertion posted to the register's assertion consumer service (HTTP-POST), carrying the
eTD attributes `urn:etoegang:core:LegalSubjectID` (KvK) and `urn:etoegang:core:ActingSubjectID` (pseudonym).
"""

from __future__ import annotations

import html
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

import saml2
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server

from tests.sso.keys import key_and_certificate

KVK = "urn:etoegang:core:LegalSubjectID"
PSEUDONYM = "urn:etoegang:core:ActingSubjectID"


@dataclass(frozen=True)
class Persona:
    label: str
    kvk_number: str
    pseudonym: str
    level: str = "urn:etoegang:core:assurance-class:loa3"


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class SamlIdP:
    directory: Path
    personas: dict[str, Persona]
    host: str = "localhost"  # the live server's host name: the same site, so SameSite=Lax cookies travel
    port: int = 0
    sp_metadata: Path | None = None
    _server: Server | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.httpd = make_server("127.0.0.1", self.port, self.app, handler_class=_Quiet)
        self.port = self.httpd.server_port
        self.base = f"http://{self.host}:{self.port}"
        self.key, self.cert = key_and_certificate(self.directory, "idp")
        self.metadata = self.directory / "idp-metadata.xml"
        self.metadata.write_text(create_metadata_string(None, config=self._config(with_sp=False)).decode())
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _config(self, *, with_sp: bool) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": f"{self.base}/metadata",
                "xmlsec_binary": shutil.which("xmlsec1"),
                "key_file": str(self.key),
                "cert_file": str(self.cert),
                "metadata": {"local": [str(self.sp_metadata)]} if with_sp and self.sp_metadata else {},
                "service": {
                    "idp": {
                        "endpoints": {"single_sign_on_service": [(f"{self.base}/sso", saml2.BINDING_HTTP_REDIRECT)]},
                        "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                        "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}},
                    }
                },
            }
        )
        return config

    @property
    def server(self) -> Server:
        if self._server is None:  # the register's metadata exists only once the test has the live server
            self._server = Server(config=self._config(with_sp=True))
        return self._server

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/sso" and environ["REQUEST_METHOD"] == "GET":
            query = parse_qs(environ["QUERY_STRING"])
            return self._choose(query["SAMLRequest"][0], query.get("RelayState", [""])[0], start_response)
        if path == "/sso/answer" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = parse_qs(environ["wsgi.input"].read(length).decode())
            return self._answer(form, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _choose(self, saml_request: str, relay_state: str, start_response: Any) -> list[bytes]:
        self.server.parse_authn_request(saml_request, saml2.BINDING_HTTP_REDIRECT)  # refuses a malformed request
        buttons = "".join(
            f'<button type="submit" name="persona" value="{html.escape(key)}">{html.escape(p.label)}</button>'
            for key, p in self.personas.items()
        )
        page = (
            "<!doctype html><html lang=en><title>Test broker</title><h1>Test eHerkenning broker</h1>"
            f'<form method="post" action="/sso/answer">'
            f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">{buttons}</form>'
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    def _answer(self, form: dict[str, list[str]], start_response: Any) -> list[bytes]:
        request = self.server.parse_authn_request(form["SAMLRequest"][0], saml2.BINDING_HTTP_REDIRECT)
        persona = self.personas[form["persona"][0]]
        message = request.message
        acs = (
            message.assertion_consumer_service_url
            or self.server.config.metadata.assertion_consumer_service(message.issuer.text)[0]["location"]
        )
        response = self.server.create_authn_response(
            identity={KVK: [persona.kvk_number], PSEUDONYM: [persona.pseudonym]},
            in_response_to=message.id,
            destination=acs,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text=persona.pseudonym),
            authn={"class_ref": persona.level, "authn_auth": f"{self.base}/metadata"},
            sign_assertion=True,
        )
        http_args = self.server.apply_binding(
            saml2.BINDING_HTTP_POST, str(response), acs, form.get("RelayState", [""])[0], response=True
        )
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [http_args["data"].encode() if isinstance(http_args["data"], str) else http_args["data"]]
