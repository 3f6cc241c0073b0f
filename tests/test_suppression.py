from __future__ import annotations

import pytest

from fitlint.suppression import Suppressions


def suppressed(source: str, code: str, line: int, statement_first_line: int | None = None) -> bool:
    return Suppressions.parse(source).suppresses(code, line, statement_first_line)


# line directives

@pytest.mark.parametrize(
    ("comment", "code", "expected"),
    [
        ("# fitlint: ignore", "FIT101", True),
        ("# fitlint: ignore[FIT101]", "FIT101", True),
        ("# fitlint: ignore[FIT101]", "FIT102", False),
        ("# fitlint: ignore[FIT1]", "FIT102", True),
        ("# fitlint: ignore[FIT1]", "FIT201", False),
        ("# fitlint: ignore[ fit201 ,  FIT3 ]", "FIT201", True),
        ("# fitlint: ignore[FIT201 FIT3]", "FIT301", True),
        ("#fitlint:ignore[FIT101]", "FIT101", True),
        ("# FITLINT: IGNORE", "FIT101", True),
        ("# fitlint: ignore[]", "FIT101", True),
        ("# noqa", "FIT101", True),
        ("# NOQA", "FIT101", True),
        ("# noqa: FIT101", "FIT101", True),
        ("# noqa:FIT101,E501", "FIT101", True),
        ("# noqa: E501, FIT101", "FIT102", False),
        ("# noqa: E501", "FIT101", False),
        ("# noqa: E501 W291", "FIT101", False),
        ("# noqa: fit2", "FIT201", True),
        ("# noqa: E501  # fitlint: ignore[FIT101]", "FIT101", True),
        ("# type: ignore  # noqa: FIT101", "FIT101", True),
        ("# fitlint: ignored", "FIT101", False),
        ("# see fitlint docs", "FIT101", False),
    ],
)
def test_line_directives(comment, code, expected):
    source = f"import torch\nloader = make(shuffle=False)  {comment}\nx = 1\n"
    assert suppressed(source, code, 2) is expected


def test_line_directive_covers_only_its_line():
    source = "import torch\nx = 1  # fitlint: ignore\ny = 2\n"
    assert suppressed(source, "FIT101", 2)
    assert not suppressed(source, "FIT101", 3)
    assert not suppressed(source, "FIT101", 1)


def test_directive_on_statement_first_line_covers_a_later_reported_line():
    source = (
        "import torch\n"
        "loader = DataLoader(  # noqa: FIT101\n"
        "    dataset,\n"
        "    shuffle=False,\n"
        ")\n"
    )
    assert suppressed(source, "FIT101", 4, statement_first_line=2)
    assert not suppressed(source, "FIT101", 4)
    assert not suppressed(source, "FIT102", 4, statement_first_line=2)


def test_noqa_inside_a_string_does_not_suppress():
    source = (
        'import torch\n'
        'message = "# noqa"\n'
        "doc = '''\n"
        "# fitlint: ignore\n"
        "# fitlint: ignore-file\n"
        "'''\n"
    )
    sup = Suppressions.parse(source)
    assert not sup.suppresses("FIT101", 2)
    assert not sup.suppresses("FIT101", 4)
    assert not sup.suppresses("FIT101", 5)


def test_hash_inside_string_before_a_real_comment():
    source = 'import torch\nx = "# noqa: E501"  # fitlint: ignore[FIT2]\n'
    assert suppressed(source, "FIT201", 2)
    assert not suppressed(source, "FIT101", 2)


# file directives


def test_ignore_file_in_leading_comments_covers_every_line():
    source = "#!/usr/bin/env python\n# fitlint: ignore-file\nimport torch\n" + "x = 1\n" * 30
    assert suppressed(source, "FIT101", 25)


def test_ignore_file_with_codes_covers_only_those():
    source = "# fitlint: ignore-file[FIT101, fit2]\nimport torch\n"
    sup = Suppressions.parse(source)
    assert sup.suppresses("FIT101", 2)
    assert sup.suppresses("FIT203", 2)
    assert not sup.suppresses("FIT102", 2)


def test_ignore_file_after_the_module_docstring_counts_even_past_line_ten():
    source = '"""A long\n' + "docstring line\n" * 12 + '"""\n\n# fitlint: ignore-file\nimport torch\n'
    assert suppressed(source, "FIT101", 17)


def test_ignore_file_in_the_first_ten_lines_after_code_counts():
    source = "import torch\nimport os\n# fitlint: ignore-file[FIT1]\nx = 1\n"
    assert suppressed(source, "FIT101", 4)


def test_ignore_file_late_in_the_file_is_ignored():
    source = "import torch\n" + "x = 1\n" * 12 + "# fitlint: ignore-file\n"
    assert not suppressed(source, "FIT101", 2)


def test_ignore_file_trailing_code_is_not_file_level():
    source = "import torch  # fitlint: ignore-file\nx = 1\n"
    assert not suppressed(source, "FIT101", 2)


def test_ignore_file_inside_the_docstring_is_text_not_a_directive():
    source = '"""Usage notes.\n\n# fitlint: ignore-file\n"""\nimport torch\nx = 1\n'
    assert not suppressed(source, "FIT101", 6)


def test_second_string_statement_ends_the_header():
    header = '"""Doc."""\n"not a docstring"\n' + "\n" * 10 + "# fitlint: ignore-file\nimport torch\n"
    assert not suppressed(header, "FIT101", 14)
    assert suppressed(header.replace('"not a docstring"\n', "\n"), "FIT101", 14)


# robustness


def test_untokenizable_source_falls_back_to_line_comments():
    source = "# fitlint: ignore-file[FIT9]\nimport torch\nloader = DataLoader(ds,  # noqa: FIT101\n"
    sup = Suppressions.parse(source)
    assert sup.suppresses("FIT101", 3)
    assert sup.suppresses("FIT901", 1)
    assert not sup.suppresses("FIT102", 3)


def test_source_without_directives_suppresses_nothing():
    sup = Suppressions.parse("import torch\nx = 1\n")
    assert not sup.suppresses("FIT101", 1)
    assert sup == Suppressions()


def test_code_matching_is_case_insensitive_on_the_query():
    assert suppressed("x = 1  # fitlint: ignore[FIT101]\n", "fit101", 1)
