"""Stand-ins for outside services, on 127.0.0.1 only."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# A Nominatim /search answer (format=json, addressdetails=1) for a street address in Padova.
VIA_ROMA = {
    "place_id": 1, "lat": "45.4031", "lon": "11.8766", "display_name": "Via Roma, 35122 Padova, Italia",
    "class": "highway", "type": "residential", "addresstype": "road",
    "address": {"road": "Via Roma", "city": "Padova", "postcode": "35122", "country": "Italia", "country_code": "it"},
}


def _photon(answer: dict) -> dict:
    """The same place as Photon (komoot) answers it."""
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(answer["lon"]), float(answer["lat"])]},
            "properties": {"name": answer["address"].get("road", ""), "city": answer["address"].get("city", ""),
                           "countrycode": answer["address"]["country_code"].upper(), "type": "street"}}


class FakeNominatim:
    """A Nominatim-compatible /search: answers from `answers`, or behaves as set by `mode`
    ("ok", "slow", "error", "ratelimit"); records every request's query and User-Agent."""

    def __init__(self):
        self.mode = "ok"
        self.answers: dict[str, list[dict]] = {"via roma 12, 35122 padova": [VIA_ROMA]}
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                url = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(url.query).items()}
                fake.requests.append({"path": url.path, "params": params,
                                      "user_agent": self.headers.get("User-Agent", ""), "at": time.monotonic()})
                if fake.mode == "slow":
                    time.sleep(1.0)
                if fake.mode == "error":
                    return self._send(500, {"error": "boom"})
                if fake.mode == "ratelimit":
                    return self._send(429, {"error": "Too Many Requests"})
                answers = fake.answers.get(params.get("q", "").lower(), [])
                if url.path == "/api":  # Photon speaks GeoJSON
                    return self._send(200, {"type": "FeatureCollection", "features": [_photon(a) for a in answers]})
                self._send(200, answers)

            def _send(self, status, body):
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.domain = f"127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
