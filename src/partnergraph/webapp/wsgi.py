"""Production entry point for any WSGI server, configured by ``PARTNERGRAPH_*`` variables.

    waitress-serve --host 0.0.0.0 --port 5000 --threads 8 partnergraph.webapp.wsgi:app
    gunicorn --workers 2 --threads 8 --bind 0.0.0.0:5000 partnergraph.webapp.wsgi:app
"""

from partnergraph.webapp import create_app

app = create_app()
