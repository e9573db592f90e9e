"""Runs inside the pywb venv (mirror/pywb.py starts it): pywb's wayback app on a free loopback
port, serving the archive directory it is started in; the first line printed is
``listening 127.0.0.1:<port>``. As pywb's own ``wayback`` command, bound to port 0."""

from gevent.monkey import patch_all

patch_all()

from gevent.pywsgi import WSGIServer  # noqa: E402
from pywb.apps.frontendapp import FrontEndApp  # noqa: E402
from pywb.utils.geventserver import RequestURIWSGIHandler  # noqa: E402


def main() -> None:
    server = WSGIServer(("127.0.0.1", 0), FrontEndApp(), handler_class=RequestURIWSGIHandler, log=None)
    server.init_socket()
    print(f"listening 127.0.0.1:{server.address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
