from __future__ import annotations

import json
import re

import pytest

import fitlint
from fitlint.findings import Finding, Severity
from fitlint.reporters import FORMATS, render
from fitlint.rule import Rule


class ShuffleOff(Rule):
    """## What it does
    Flags a training loader that never shuffles.

    More detail here.

    ## Why is this bad?
    Batches come in file order.
    """

    code = "FIT101"
    name = "training-loader-without-shuffle"
    severity = Severity.WARNING


class SoftmaxIntoCrossEntropy(Rule):
    """## What it does
    Flags softmax output fed to CrossEntropyLoss.
    """

    code = "FIT301"
    name = "softmax-into-cross-entropy"
    severity = Severity.ERROR


class LogSoftmaxIntoCrossEntropy(Rule):
    """## What it does
    Notes a redundant log_softmax.
    """

    code = "FIT302"
    name = "log-softmax-into-cross-entropy"
    severity = Severity.INFO


RULES = (ShuffleOff, SoftmaxIntoCrossEntropy, LogSoftmaxIntoCrossEntropy)

SOURCE = "import torch\nloader = DataLoader(ds, shuffle=False)\n\tloss = crit(out.softmax(1), y)\n"


def finding(
    code="FIT101", severity=Severity.WARNING, line=2, column=10, end_line=None, end_column=None, **extra
):
    return Finding(
        code=code,
        name="some-name",
        severity=severity,
        message=extra.pop("message", "loader never shuffles"),
        path=extra.pop("path", "train.py"),
        line=line,
        column=column,
        end_line=end_line if end_line is not None else line,
        end_column=end_column if end_column is not None else column + 4,
        **extra,
    )


def text(findings, **options):
    options.setdefault("sources", {"train.py": SOURCE})
    options.setdefault("files_scanned", 1)
    return render(findings, "text", rules=RULES, **options)


# text


def test_text_heading_snippet_and_carets_under_the_span():
    out = text([finding(column=10, end_column=20)])
    lines = out.splitlines()
    assert lines[0] == "train.py:2:10: FIT101 [warning] loader never shuffles"
    assert lines[1] == "    loader = DataLoader(ds, shuffle=False)"
    carets = lines[2]
    assert carets.strip() == "^" * 10
    # The carets start under column 10 (1-based) of the source line, both indented alike.
    assert carets.index("^") == lines[1].index("DataLoader")
    assert lines[3] == ""


def test_text_carets_follow_tabs_in_the_source_line():
    out = text([finding(line=3, column=9, end_column=13)])
    source_line, carets = out.splitlines()[1:3]
    assert carets == "    \t       ^^^^"
    assert source_line[4:].expandtabs(8).index("crit") == carets[4:].expandtabs(8).index("^")


def test_text_multi_line_span_gets_a_single_caret():
    out = text([finding(line=2, column=1, end_line=3, end_column=5)])
    assert out.splitlines()[2] == "    ^"


def test_text_span_past_the_end_of_line_is_clamped():
    out = text([finding(line=1, column=8, end_column=99)])
    assert out.splitlines()[2] == "           ^^^^^"


def test_text_without_source_has_no_snippet():
    out = text([finding()], sources={})
    assert out.splitlines()[:2] == ["train.py:2:10: FIT101 [warning] loader never shuffles", ""]


def test_text_fixable_finding_is_marked_and_counted():
    out = text([finding(fix="pass shuffle=True"), finding(line=3, column=2)])
    assert "FIT101 [warning] [*] loader never shuffles" in out
    assert out.count("[*]") == 2
    assert out.splitlines()[-1] == "[*] 1 fixable with --fix."


@pytest.mark.parametrize(
    ("severities", "files", "summary"),
    [
        ([], 5, "No findings in 5 files."),
        ([], 1, "No findings in 1 file."),
        ([Severity.WARNING], 1, "Found 1 finding (1 warning) in 1 file."),
        (
            [Severity.ERROR, Severity.WARNING, Severity.WARNING],
            2,
            "Found 3 findings (1 error, 2 warnings) in 2 files.",
        ),
        (
            [Severity.INFO, Severity.INFO, Severity.ERROR, Severity.ERROR],
            3,
            "Found 4 findings (2 errors, 2 info) in 3 files.",
        ),
    ],
)
def test_text_summary_counts_and_plurals(severities, files, summary):
    findings = [finding(severity=severity, line=1, column=1) for severity in severities]
    lines = text(findings, files_scanned=files).splitlines()
    assert lines[-1] == summary
    assert "fixable" not in text(findings)


def test_text_suppressed_findings_hidden_unless_asked():
    findings = [finding(), finding(line=1, column=1, suppressed=True)]
    hidden = text(findings)
    assert "train.py:1:1" not in hidden
    assert hidden.splitlines()[-1] == "Found 1 finding (1 warning) in 1 file."
    shown = text(findings, show_suppressed=True)
    assert "train.py:1:1: FIT101 (suppressed) [warning] loader never shuffles" in shown
    assert "Found 1 finding (1 warning) in 1 file." in shown
    assert shown.splitlines()[-1] == "1 suppressed finding shown."


def test_text_notebook_cells_use_the_cell_source_when_given():
    cell = finding(path="nb.ipynb", cell=3, line=1, column=1, end_column=7)
    without = text([cell], sources={"nb.ipynb": "{}"})
    assert without.splitlines()[:2] == ["nb.ipynb:cell 3:1:1: FIT101 [warning] loader never shuffles", ""]
    with_cell = text([cell], sources={"nb.ipynb:cell 3": "import torch\n"})
    assert with_cell.splitlines()[1:3] == ["    import torch", "    ^^^^^^"]


def test_text_line_numbers_follow_python_line_breaks_not_form_feeds():
    source = "import torch\x0c\nx = 1\r\ny = 2\n"
    out = text([finding(line=3, column=1, end_column=2)], sources={"train.py": source})
    assert out.splitlines()[1] == "    y = 2"


def test_text_colour_only_when_asked():
    plain = text([finding(severity=Severity.ERROR)])
    assert "\x1b[" not in plain
    coloured = text([finding(severity=Severity.ERROR), finding(severity=Severity.INFO, line=3)], color=True)
    assert "\x1b[1mtrain.py\x1b[0m:2:10: \x1b[1;31mFIT101\x1b[0m [error]" in coloured
    assert "\x1b[36mFIT101\x1b[0m [info]" in coloured
    assert "\x1b[33m" in text([finding()], color=True)


# json


def test_json_is_the_finding_contract():
    cell = finding(path="nb.ipynb", cell=2, fix="pass shuffle=True")
    data = json.loads(render([finding(), cell], "json", rules=RULES))
    assert data[0] == {
        "code": "FIT101",
        "name": "some-name",
        "severity": "warning",
        "message": "loader never shuffles",
        "path": "train.py",
        "line": 2,
        "column": 10,
        "end_line": 2,
        "end_column": 14,
        "fix": None,
    }
    assert data[1]["cell"] == 2 and data[1]["fix"] == "pass shuffle=True"


def test_json_empty_is_an_empty_array():
    assert json.loads(render([], "json", rules=RULES)) == []


def test_json_suppressed_only_on_request():
    findings = [finding(suppressed=True)]
    assert json.loads(render(findings, "json", rules=RULES)) == []
    shown = json.loads(render(findings, "json", rules=RULES, show_suppressed=True))
    assert shown[0]["suppressed"] is True


# sarif


def sarif(findings, **options):
    return json.loads(render(findings, "sarif", rules=RULES, **options))


def test_sarif_log_and_driver():
    log = sarif([])
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["results"] == []
    # Finding columns count code points, as libcst does; SARIF would assume UTF-16 units.
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "fitlint"
    assert driver["version"] == fitlint.__version__
    assert driver["informationUri"].startswith("https://")


def test_sarif_rules_come_from_the_registry_in_order():
    rules = sarif([])["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["FIT101", "FIT301", "FIT302"]
    first = rules[0]
    assert first["name"] == "training-loader-without-shuffle"
    assert first["shortDescription"] == {"text": "Flags a training loader that never shuffles."}
    assert first["fullDescription"]["text"] == ShuffleOff.doc()
    assert first["help"] == {"text": ShuffleOff.doc(), "markdown": ShuffleOff.doc()}
    assert first["helpUri"] == ShuffleOff.help_uri()
    levels = [rule["defaultConfiguration"]["level"] for rule in rules]
    assert levels == ["warning", "error", "note"]


def test_sarif_result_fields():
    result = sarif([finding("FIT301", Severity.ERROR, line=3, column=8, end_column=12, message="softmax")])[
        "runs"
    ][0]["results"][0]
    assert result["ruleId"] == "FIT301"
    assert result["ruleIndex"] == 1
    assert result["level"] == "error"
    assert result["message"] == {"text": "softmax"}
    (location,) = result["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "train.py"}
    assert physical["region"] == {"startLine": 3, "startColumn": 8, "endLine": 3, "endColumn": 12}
    assert "suppressions" not in result


def test_sarif_levels_follow_the_finding_not_the_rule():
    result = sarif([finding("FIT101", Severity.INFO)])["runs"][0]["results"][0]
    assert result["level"] == "note"


def test_sarif_uris_are_posix_and_encoded():
    results = sarif([finding(path="my dir/train.py"), finding(path="/abs/x.py")])["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris == ["my%20dir/train.py", "file:///abs/x.py"]


def test_sarif_notebook_cell_prefixes_the_message():
    result = sarif([finding(path="nb.ipynb", cell=4)])["runs"][0]["results"][0]
    assert result["message"]["text"] == "cell 4: loader never shuffles"


def test_sarif_unknown_code_gets_a_result_without_rule_index():
    result = sarif([finding("FIT999")])["runs"][0]["results"][0]
    assert result["ruleId"] == "FIT999" and "ruleIndex" not in result


def test_sarif_suppressed_marked_in_source_when_shown():
    findings = [finding(suppressed=True)]
    assert sarif(findings)["runs"][0]["results"] == []
    (result,) = sarif(findings, show_suppressed=True)["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "inSource"}]


# github


def github(findings, **options):
    return render(findings, "github", rules=RULES, **options)


def test_github_single_line_annotation_has_columns():
    out = github([finding("FIT301", Severity.ERROR, line=3, column=8, end_column=12, message="softmax")])
    assert out == "::error file=train.py,line=3,col=8,endLine=3,endColumn=12,title=fitlint (FIT301)::softmax"


def test_github_multi_line_annotation_drops_columns():
    out = github([finding(line=2, column=5, end_line=4, end_column=3)])
    assert out == "::warning file=train.py,line=2,endLine=4,title=fitlint (FIT101)::loader never shuffles"


def test_github_levels():
    out = github([finding(severity=s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)])
    assert [line.split(" ", 1)[0] for line in out.splitlines()] == ["::error", "::warning", "::notice"]


def test_github_escapes_data_and_properties():
    out = github([finding(path="a,b:c%.py", message="100% wrong\nsee: docs, here\r")])
    assert out.startswith("::warning file=a%2Cb%3Ac%25.py,line=2,")
    assert out.endswith("::100%25 wrong%0Asee: docs, here%0D")
    assert "\n" not in out


def test_github_never_shows_suppressed_and_prefixes_cells():
    out = github([finding(suppressed=True), finding(path="nb.ipynb", cell=1)], show_suppressed=True)
    assert out.splitlines() == [
        "::warning file=nb.ipynb,line=2,col=10,endLine=2,endColumn=14,title=fitlint (FIT101)"
        "::cell 1: loader never shuffles"
    ]


def test_github_empty_is_empty():
    assert github([]) == ""


# formats


def test_every_format_renders_and_unknown_is_rejected():
    for fmt in FORMATS:
        assert isinstance(render([finding()], fmt, rules=RULES), str)
    with pytest.raises(ValueError, match=re.escape("unknown format 'xml'")):
        render([], "xml", rules=RULES)


def test_text_unsafe_fix_is_not_marked_but_counted_apart():
    out = text([finding(fix="drop the softmax", fix_safe=False), finding(line=3, column=2, fix="pass shuffle=True")])
    assert out.count("[*] ") == 2  # the safe finding's marker and the summary line
    assert "FIT101 [warning] loader never shuffles" in out
    assert out.splitlines()[-2] == "[*] 1 fixable with --fix."
    assert out.splitlines()[-1].startswith("1 more fixable with --fix --unsafe-fixes")
