"""Server configuration for the Galata tests (jlpm start).

Galata's helper gives the server a throw-away root directory, no token and the
settings Galata relies on; the keras_migrate server extension (backend switcher
endpoint, provisioner by default) is enabled by the installed config file.
"""
from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is the config object)

c.ServerApp.log_level = "INFO"  # noqa: F821
# CI containers run as root.
c.ServerApp.allow_root = True  # noqa: F821
