"""partnergraph: a knowledge graph of municipality–association partnerships.

Data flows one way: source files → validated records → RDF store → networks and
metrics → web views, SPARQL and exports.
"""

__version__ = "0.1.0"
