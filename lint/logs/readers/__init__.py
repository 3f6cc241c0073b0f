"""Log readers, one module per format, discovered (``base`` is the framework: ``Reader``, ``Piece``)."""
