"""Voila for ``python3 run.py present``: this machine only, with a token.

Voila (0.5) serves on the address it is given, but it turns Jupyter server's
Host check off (``allow_remote_access=True`` in its tornado settings) and, by
default, wants no token. A page on any web site could then reach the
presenting server through DNS rebinding (its own name resolved to 127.0.0.1).
This launcher runs the same Voila with two guards:

* a token: ``Voila.token`` from LESSONS_PRESENT_TOKEN (run.py makes a random
  one), or a random one here. A request without it is sent to the login page;
  the browser tab opened and the address printed carry it (``?token=...``),
  after which a cookie lets the page, its kernel and the notebook list work;
* a Host check: Jupyter server's own (``allow_remote_access=False``): only
  127.0.0.1, ::1 and ``localhost`` are accepted in the Host header (403 else).

Usage is voila's: ``python tools/present_server.py notebooks/NN.ipynb --port=8870``.
"""

from __future__ import annotations

import os
import secrets
import threading
import webbrowser

from voila.app import Voila


class GuardedVoila(Voila):
    """Voila with a token and Jupyter server's Host check."""

    def initialize(self, argv=None):
        super().initialize(argv)
        if not self.token:  # an explicit --token=... wins
            self.token = os.environ.get("LESSONS_PRESENT_TOKEN") or secrets.token_urlsafe(24)

    def init_settings(self):
        settings = super().init_settings()
        settings["allow_remote_access"] = False  # Jupyter server's check_host: loopback only
        settings["local_hostnames"] = ["localhost"]
        return settings

    @property
    def token_url(self) -> str:
        """The address to open: this server's, with the token."""
        return f"{self.connection_url}?token={self.token}"

    @property
    def display_url(self):
        # Voila prints "?token=..." for a token it did not generate; print the real
        # address so that it can be copied into a browser.
        return self.token_url

    def launch_browser(self):
        # Voila's own opens the address without the token (the login page).
        try:
            browser = webbrowser.get(self.browser or None)
        except webbrowser.Error as error:
            self.log.warning("No web browser found: %s.", error)
            return
        url = self.token_url
        threading.Thread(target=lambda: browser.open(url, new=self.webbrowser_open_new)).start()


if __name__ == "__main__":
    GuardedVoila.launch_instance()
