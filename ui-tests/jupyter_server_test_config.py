"""Server configuration for the Galata tests (jlpm start).

Galata's helper gives the server a throw-away root directory, no token and the
settings Galata relies on; the keras_migrate server extension (backend switcher
endpoint, provisioner by default) is enabled by the installed config file.
"""
import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is the config object)

# Its own port, so a JupyterLab already running on 8888 (the demo) is never mistaken for it.
c.ServerApp.port = int(os.environ.get("GALATA_PORT", "8899"))  # noqa: F821

# Notebook 7 (jlpm start:notebook7) exposes its app to the tests as JupyterLab does.
c.JupyterNotebookApp.expose_app_in_browser = True  # noqa: F821

c.ServerApp.log_level = "INFO"  # noqa: F821
# CI containers run as root.
c.ServerApp.allow_root = True  # noqa: F821
