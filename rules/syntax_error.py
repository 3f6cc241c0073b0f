from fitlint.findings import Severity
from fitlint.rule import Invalid, Rule, Valid


class SyntaxError_(Rule):
    """
    ## What it does
    Reports a file that fitlint cannot analyze: it does not parse as Python, its bytes cannot be
    decoded, or it cannot be read. The engine emits this finding; the rest of the run goes on.

    Code written for Python 2 or Python 3.6 and older (PyTorch 0.3/0.4-era scripts with
    `x.cuda(async=True)`, print statements, `except Error, e:`) and notebook exports that kept
    their IPython lines (`!pip install ...`, `%cd ...`) are not reported: they are rewritten line
    for line where no Python 3.7+ grammar accepts them and analysed like any other file (their
    findings keep their lines; none offers a fix, which would write the rewritten lines back).

    ## Why is this bad?
    A training script that does not parse cannot run, and a file fitlint cannot read is a file
    whose mistakes it cannot report. Every other rule is silent on it.

    ## Example
    ```python
    for epoch in range(10)
        train(epoch)
    ```

    ## Use instead
    ```python
    for epoch in range(10):
        train(epoch)
    ```

    ## References
    - https://docs.python.org/3/reference/grammar.html
    """

    code = "FIT000"
    name = "syntax-error"
    severity = Severity.ERROR
    VALID = [
        Valid("import torch\nx = torch.zeros(1)\n"),
        # Python 2 and PyTorch 0.3 (`async` is a keyword since Python 3.7): read, not reported
        Valid("import torch\nx = torch.zeros(1).cuda(async=True)\nprint 'moved', x\n"),
    ]
    INVALID = [Invalid("import torch\nfor epoch in range(3)  # FIT000\n    pass\n")]

    def check(self, script):
        return iter(())
