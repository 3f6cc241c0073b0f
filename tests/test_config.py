from __future__ import annotations

import os
from pathlib import Path

import pytest

from fitlint.config import Config, ConfigError, find_config, load_config, resolve_codes, selected_rules
from fitlint.findings import Severity
from fitlint.rule import Rule


class ShuffleOff(Rule):
    code = "FIT101"
    name = "loader-without-shuffle"


class SortedSplit(Rule):
    code = "FIT102"
    name = "split-of-sorted-data"


class EvalMode(Rule):
    code = "FIT201"
    name = "evaluation-in-training-mode"


class SmallBatch(Rule):
    code = "FIT504"
    name = "tiny-batch"
    default_enabled = False
    options = {"min_batch_size": 8, "ratio": 0.5, "strict": False, "label": "x", "names": ["a"]}


RULES = (ShuffleOff, SortedSplit, EvalMode, SmallBatch)


def codes(rules) -> list[str]:
    return [rule.code for rule in rules]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def load_toml(tmp_path: Path, body: str) -> Config:
    return load_config(write(tmp_path / "pyproject.toml", "[tool.fitlint]\n" + body), RULES)


def load_yaml(tmp_path: Path, body: str) -> Config:
    return load_config(write(tmp_path / "fitlint.yaml", body), RULES)


# finding the file


def test_find_config_prefers_yaml_then_dot_yaml_then_pyproject_in_one_folder(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.fitlint]\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    write(tmp_path / ".fitlint.yaml", "")
    assert find_config(tmp_path) == tmp_path / ".fitlint.yaml"
    write(tmp_path / "fitlint.yaml", "")
    assert find_config(tmp_path) == tmp_path / "fitlint.yaml"


def test_find_config_skips_pyproject_without_fitlint_table_and_walks_up(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.fitlint]\nignore = ['FIT101']\n")
    nested = tmp_path / "pkg" / "sub"
    write(tmp_path / "pkg" / "pyproject.toml", "[tool.black]\nline-length = 99  # fitlint is elsewhere\n")
    nested.mkdir(parents=True)
    assert find_config(nested) == tmp_path / "pyproject.toml"


def test_find_config_takes_the_nearest_folder(tmp_path):
    write(tmp_path / "fitlint.yaml", "")
    write(tmp_path / "pkg" / "pyproject.toml", "[tool.fitlint.options.FIT504]\nmin-batch-size = 4\n")
    assert find_config(tmp_path / "pkg") == tmp_path / "pkg" / "pyproject.toml"


def test_find_config_from_a_file_uses_its_folder(tmp_path):
    write(tmp_path / "fitlint.yaml", "")
    script = write(tmp_path / "train.py", "")
    assert find_config(script) == tmp_path / "fitlint.yaml"


def test_find_config_reports_broken_pyproject_that_mentions_fitlint(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.fitlint\nselect = \n")
    with pytest.raises(ConfigError, match="pyproject.toml: invalid TOML"):
        find_config(tmp_path)


# loading


def test_no_path_gives_defaults():
    config = load_config(None, RULES)
    assert config == Config()
    assert codes(selected_rules(config, RULES)) == ["FIT101", "FIT102", "FIT201"]


def test_pyproject_values_are_read_and_codes_upper_cased(tmp_path):
    config = load_toml(
        tmp_path,
        'select = ["fit1", "FIT201"]\nextend-select = ["fit504"]\nignore = ["FIT102"]\n'
        'exclude = ["data/*"]\nseverity = "Warning"\n'
        '[tool.fitlint.per-file-ignores]\n"tests/*" = ["fit201"]\n',
    )
    assert config.select == ("FIT1", "FIT201")
    assert config.extend_select == ("FIT504",)
    assert config.ignore == ("FIT102",)
    assert config.exclude == ("data/*",)
    assert config.severity is Severity.WARNING
    assert config.per_file_ignores == (("tests/*", ("FIT201",)),)
    assert config.source.endswith("pyproject.toml")
    assert config.root == tmp_path


def test_pyproject_without_fitlint_table_gives_defaults_with_source(tmp_path):
    config = load_config(write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n"), RULES)
    assert config.select is None and config.ignore == ()


def test_yaml_top_level_with_snake_case_keys(tmp_path):
    config = load_yaml(
        tmp_path,
        "extend_select: [FIT504]\nper_file_ignores:\n  'tests/*': [FIT1]\nseverity: error\n",
    )
    assert config.extend_select == ("FIT504",)
    assert config.per_file_ignores == (("tests/*", ("FIT1",)),)
    assert config.severity is Severity.ERROR


def test_empty_yaml_file_gives_defaults(tmp_path):
    assert load_yaml(tmp_path, "").select is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('selekt = ["FIT101"]', "pyproject.toml: [tool.fitlint] unknown key 'selekt'"),
        ('ignore = ["FIT999"]', "pyproject.toml: [tool.fitlint] unknown rule code 'FIT999' in 'ignore'"),
        ('select = ["FIT9"]', "unknown rule code 'FIT9' in 'select'"),
        ('ignore = "FIT101"', "'ignore' must be a list of rule codes"),
        ('severity = "fatal"', "bad 'severity': unknown severity 'fatal'"),
        ("severity = 2", "'severity' must be a string"),
        ('exclude = "build"', "'exclude' must be a list of strings"),
        (
            '[tool.fitlint.per-file-ignores]\n"a.py" = ["FIT7"]',
            "unknown rule code 'FIT7' in 'per-file-ignores' for 'a.py'",
        ),
        ('per-file-ignores = ["a.py"]', "'per-file-ignores' must be a table"),
        ("[tool.fitlint.options.FIT999]\nx = 1", "'options' for unknown rule code 'FIT999'"),
        ("[tool.fitlint.options.FIT504]\nmin-bach-size = 1", "unknown option 'min-bach-size' for FIT504"),
        ("[tool.fitlint.options]\nFIT504 = 3", "'options' for FIT504 must be a table"),
        ("select = ['FIT101']\nextend-select = ['FIT1']\nextend_select = ['FIT2']", "given twice"),
    ],
)
def test_bad_pyproject_values_name_file_and_problem(tmp_path, monkeypatch, body, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_toml(tmp_path, body)
    assert message in str(info.value)
    assert str(info.value).startswith("pyproject.toml: ")
    assert "\n" not in str(info.value)


def test_yaml_error_message_has_no_table_prefix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"^fitlint\.yaml: unknown rule code 'FIT999' in 'ignore'$"):
        load_yaml(tmp_path, "ignore: [fit999]\n")


def test_all_is_always_a_valid_selector(tmp_path):
    assert load_toml(tmp_path, 'select = ["all"]').select == ("ALL",)


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("pyproject.toml", "[tool.fitlint]\nselect = [\n", "invalid TOML"),
        ("fitlint.yaml", "select: [FIT101\nignore: x\n", "invalid YAML"),
        ("fitlint.yaml", "- FIT101\n", "top level must be a table of settings, not a list"),
        ("pyproject.toml", "[tool]\nfitlint = 3\n", "[tool.fitlint] must be a table"),
        ("fitlint.yaml", b"select: [\xff]\n", "cannot decode"),
    ],
)
def test_unparsable_files_are_one_line_errors(tmp_path, monkeypatch, name, text, problem):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ConfigError) as info:
        load_config(path, RULES)
    assert str(info.value).startswith(f"{name}: ")
    assert problem in str(info.value)
    assert "\n" not in str(info.value)


def test_unreadable_config_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "fitlint.yaml", RULES)


def test_unknown_config_file_kind_is_rejected(tmp_path):
    with pytest.raises(ConfigError, match="not a config file"):
        load_config(write(tmp_path / "setup.cfg", "[fitlint]\n"), RULES)


# options


def test_options_accept_kebab_and_snake_case_and_map_to_rule_keys(tmp_path):
    config = load_toml(
        tmp_path,
        "[tool.fitlint.options.fit504]\nmin-batch-size = 16\nratio = 1\nstrict = true\n"
        'label = "y"\nnames = ["b", "c"]\n',
    )
    options = config.options_for("FIT504")
    assert options == {"min_batch_size": 16, "ratio": 1.0, "strict": True, "label": "y", "names": ["b", "c"]}
    assert isinstance(options["ratio"], float)
    assert config.options_for("fit504") == options
    assert config.options_for("FIT101") == {}
    hash(config)


def test_options_from_yaml_snake_case(tmp_path):
    config = load_yaml(tmp_path, "options:\n  FIT504:\n    min_batch_size: 32\n")
    assert config.options_for("FIT504") == {"min_batch_size": 32}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('min-batch-size = "16"', "must be an integer, not a string"),
        ("min-batch-size = true", "must be an integer, not a boolean"),
        ("min-batch-size = 1.5", "must be an integer, not a number"),
        ("strict = 1", "must be a boolean, not an integer"),
        ('ratio = "0.5"', "must be a number, not a string"),
        ("label = 3", "must be a string"),
        ('names = "a"', "must be a list of strings, not a string"),
        ("names = [1, 2]", "must be a list of strings, not a list"),
    ],
)
def test_option_type_must_match_default(tmp_path, line, expected):
    with pytest.raises(ConfigError, match=f"FIT504 {expected}".replace("(", r"\(")) as info:
        load_toml(tmp_path, f"[tool.fitlint.options.FIT504]\n{line}\n")
    assert "\n" not in str(info.value)


# selection


def test_resolve_codes_handles_all_exact_and_prefixes():
    assert resolve_codes(["ALL"], RULES) == {"FIT101", "FIT102", "FIT201", "FIT504"}
    assert resolve_codes(["fit1"], RULES) == {"FIT101", "FIT102"}
    assert resolve_codes(["FIT201", "FIT10"], RULES) == {"FIT101", "FIT102", "FIT201"}
    assert resolve_codes([], RULES) == set()
    with pytest.raises(ConfigError, match="'FIT3'"):
        resolve_codes(["FIT3"], RULES)


def test_selection_is_select_plus_extend_minus_ignore_in_registry_order():
    config = Config(select=("FIT2", "FIT1"), extend_select=("FIT504",), ignore=("FIT102",))
    assert codes(selected_rules(config, RULES)) == ["FIT101", "FIT201", "FIT504"]


def test_select_all_includes_rules_disabled_by_default():
    assert codes(selected_rules(Config(select=("ALL",)), RULES)) == codes(RULES)


def test_ignore_beats_extend_select():
    config = Config(extend_select=("FIT504",), ignore=("FIT5",))
    assert "FIT504" not in codes(selected_rules(config, RULES))


def test_per_file_ignores_apply_only_to_matching_paths(tmp_path):
    config = Config(per_file_ignores=(("tests/*", ("FIT1",)), ("conftest.py", ("FIT201",))), root=tmp_path)
    assert codes(selected_rules(config, RULES, str(tmp_path / "tests" / "test_a.py"))) == ["FIT201"]
    assert codes(selected_rules(config, RULES, str(tmp_path / "src" / "conftest.py"))) == ["FIT101", "FIT102"]
    everything = ["FIT101", "FIT102", "FIT201"]
    assert codes(selected_rules(config, RULES, str(tmp_path / "src" / "train.py"))) == everything
    assert codes(selected_rules(config, RULES)) == everything


def test_per_file_ignore_globs_are_relative_to_the_config_folder(tmp_path, monkeypatch):
    project = tmp_path / "project"
    write(project / "pyproject.toml", '[tool.fitlint.per-file-ignores]\n"scripts/*" = ["FIT101"]\n')
    config = load_config(project / "pyproject.toml", RULES)
    monkeypatch.chdir(project / "..")
    assert "FIT101" not in codes(selected_rules(config, RULES, "project/scripts/run.py"))
    assert "FIT101" in codes(selected_rules(config, RULES, "other/scripts/run.py"))


# command-line overrides


def test_cli_select_replaces_the_file_selection_and_its_ignores():
    config = Config(select=("FIT1",), extend_select=("FIT504",), ignore=("FIT101",),
                    per_file_ignores=(("x.py", ("FIT201",)),))
    cli = config.with_overrides(select=["fit101,FIT201"], ignore=None)
    assert cli.select == ("FIT101", "FIT201")
    assert cli.extend_select == () and cli.ignore == ()
    assert cli.per_file_ignores == config.per_file_ignores
    assert codes(selected_rules(cli, RULES)) == ["FIT101", "FIT201"]


def test_cli_ignore_extend_select_and_exclude_add_to_the_file():
    config = Config(ignore=("FIT101",), exclude=("data",))
    cli = config.with_overrides(ignore=["FIT102"], extend_select="fit504", exclude=["gen"])
    assert cli.ignore == ("FIT101", "FIT102")
    assert cli.extend_select == ("FIT504",)
    assert cli.exclude == ("data", "gen")
    assert codes(selected_rules(cli, RULES)) == ["FIT201", "FIT504"]


def test_cli_severity_wins_and_none_means_not_given():
    config = Config(severity=Severity.WARNING, ignore=("FIT101",))
    assert config.with_overrides(severity="error").severity is Severity.ERROR
    assert config.with_overrides(severity=None, select=None, ignore=None) == config


def test_cli_bad_severity_and_unknown_override():
    with pytest.raises(ConfigError, match="--severity"):
        Config().with_overrides(severity="loud")
    with pytest.raises(TypeError, match="selekt"):
        Config().with_overrides(selekt=["FIT101"])


def test_cli_unknown_code_surfaces_as_config_error_on_selection():
    with pytest.raises(ConfigError, match="'FIT999'"):
        selected_rules(Config().with_overrides(select=["FIT999"]), RULES)


def test_config_module_imports_no_heavy_dependency():
    import subprocess
    import sys

    code = (
        "import sys; import fitlint.config, fitlint.files, fitlint.suppression, fitlint.reporters; "
        "print(sorted(m for m in ('yaml', 'libcst', 'torch', 'pandas', 'click') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=os.path.dirname(os.path.dirname(__file__)))
    assert result.stdout.strip() == "[]"


# every way TOML has to write a tool.fitlint table; find_config parses a pyproject.toml (and
# imports tomllib) only when one of them may be there
FITLINT_TABLES = [
    '[tool.fitlint]\nselect = ["ALL"]\n',
    '[tool.fitlint.options.FIT504]\nmin-batch-size = 8\n',
    '[ tool . fitlint ]\nselect = ["ALL"]\n',
    '["tool"."fitlint"]\nselect = ["ALL"]\n',
    "[tool.'fitlint']\nselect = ['ALL']\n",
    '[tool]\nfitlint.select = ["ALL"]\n',
    '[tool]\n"fitlint".select = ["ALL"]\n',
    '[tool]\nfitlint = { select = ["ALL"] }\n',
    'tool.fitlint.select = ["ALL"]\n',
    'tool = { black = {}, fitlint = { select = ["ALL"] } }\n',
]


@pytest.mark.parametrize("table", FITLINT_TABLES)
def test_find_config_finds_every_spelling_of_the_table(tmp_path, table):
    (tmp_path / "pyproject.toml").write_text(table + '\n[project]\nname = "x"\n')
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    assert load_config(tmp_path / "pyproject.toml", RULES).select == ("ALL",) or "options" in table


def test_a_pyproject_that_only_names_fitlint_is_not_parsed(tmp_path, monkeypatch):
    import fitlint.config as config_module

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "fitlint-plugins"\ndependencies = ["fitlint>=0.1", "torch"]\n'
        '[project.urls]\nhome = "https://example.org/fitlint"\n# configured by fitlint\n')
    monkeypatch.setattr(config_module, "_parse_toml", lambda *args: pytest.fail("parsed"))
    assert find_config(tmp_path) is None
