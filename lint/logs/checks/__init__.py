"""Log checks, one module per symptom, discovered (``base`` is the framework: ``LogCheck`` and the
curve helpers checks share)."""
