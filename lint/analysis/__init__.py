"""The shared analysis of a training script: one traversal (``script``) and the answers every rule
asks of it (``catalog``, ``data``, ``splits``, ``models``, ``regions``, ``outputs``, ``optimization``)."""
