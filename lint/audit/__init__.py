"""``fitlint audit SCRIPT --logs PATH``: tie the symptoms in a run's curves to the lines that cause them.

The scanner knows which mistakes a script holds but not whether they mattered; the log analyzer knows
what the curves show but not which line caused it. The audit runs both and links every log finding
to the static findings that can cause it, from the documented table in ``fitlint.audit.table``:

* confirmed: a symptom in the logs with at least one linked finding in the script;
* not explained by the script: a symptom with no linked finding, shown with the causes a static pass
  cannot see (the seed's list) and what to check for each;
* not visible in these logs: a finding in the script whose symptoms these curves do not show.

Every run under ``--logs`` is taken to be a run of the script (the logs carry no record of which
script wrote them). The script is scanned together with the project files it imports, found by
reading its import statements (never importing or executing anything).

The parts: ``table`` (the documented link table, pure data), ``project`` (which files the script
imports), ``link`` (linking and ranking), ``render`` (text, markdown, JSON) and ``command`` (the CLI
command). Importing ``command`` is cheap (the CLI imports it at start, and ``fitlint scan`` must not
pay for pandas or the rules): the scanner and the log analyzer are imported inside ``run_audit``.
"""
