"""Automatic fixes: edit builders rules use (``edits``), what a fix would change beyond its line
(``safety``), and applying fixes to a file (``apply``)."""
