"""fitlint's rules: one module per rule, named after the pattern it flags.

Rules are discovered by ``fitlint.rule.all_rules``; adding a module here is all it takes.
"""
