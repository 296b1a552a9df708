"""Lint: nothing a person typed can become template code or unescaped HTML.

crispy-forms compiles a `Fieldset` legend and an `HTML` object as templates with the page's context,
and prints field help texts with `|safe`; `mark_safe`, `format_html`'s format string, `|safe` and
`{% autoescape off %}` print as they are. Each of them may only hold literal text (or the escaping
`mentoring.layout.TextFieldset`); the few deliberate exceptions are listed below with their reason.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("mentoring", "programs", "meetings", "goals", "feedback", "conversations", "benchmarks")

# Arguments that crispy compiles as a template, or that print without escaping.
COMPILED_ARGS = {"Fieldset": 0, "HTML": 0, "mark_safe": 0, "format_html": 0, "Template": 0}
# (file, what) -> why it is safe.
ALLOWED = {
    (
        "programs/forms.py",
        "help_text",
    ): "the program's default cadence is an integer (%(days)d), never typed text",
    ("meetings/forms.py", "help_text"): "the upload limit in MB is an integer from the settings",
    (
        "conversations/forms.py",
        "help_text",
    ): "the upload limit in MB is an integer from the settings",
}
TEMPLATE_ALLOWED = {
    # Plain-text e-mail parts and subjects are not HTML: escaping would print "&amp;" to people.
    # Their HTML twins (-body.html) keep autoescape on.
    "templates/emails/meeting-scheduled-body.txt": "autoescape off",
    "templates/emails/meeting-changed-body.txt": "autoescape off",
    "templates/emails/meeting-cancelled-body.txt": "autoescape off",
    "templates/emails/invitation-body.txt": "autoescape off",
    "templates/emails/invitation-subject.txt": "autoescape off",
    "templates/emails/reminder-body.txt": "autoescape off",
    "templates/emails/feedback-reminder-body.txt": "autoescape off",
    "templates/emails/feedback-reminder-subject.txt": "autoescape off",
    "templates/emails/new-message-body.txt": "autoescape off",
    "templates/emails/new-message-subject.txt": "autoescape off",
}
UNSAFE_TEMPLATE = re.compile(r"\|\s*safe\b|{%\s*autoescape\s+off\s*%}")


def _python_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def _is_literal(node: ast.AST) -> bool:
    """A string constant, or a translation of one: `"text"`, `_("text")`, `gettext("text")`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
    ):
        return all(_is_literal(arg) for arg in node.args)
    return False


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def unsafe_calls(source: str, path: str = "<source>") -> list[str]:
    """Every call that compiles or prints unescaped an argument that is not literal text."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if name == "from_string":
                problems.append(f"{path}:{node.lineno} compiles a template from a string")
            if name in COMPILED_ARGS and node.args:
                arg = node.args[COMPILED_ARGS[name]]
                if name in {"mark_safe", "Template"} or not _is_literal(arg):
                    problems.append(f"{path}:{node.lineno} {name}() of {ast.unparse(arg)[:60]}")
        # crispy prints help texts with |safe: a help text built from a value is the same hole.
        if isinstance(node, ast.Assign | ast.keyword):
            targets = node.targets if isinstance(node, ast.Assign) else [node]
            value = node.value
            for target in targets:
                named = getattr(target, "attr", None) or getattr(target, "arg", None)
                if named == "help_text" and not _is_literal(value) and _is_built(value):
                    problems.append(f"{path}:{node.lineno} help_text built from a value")
    return problems


def _is_built(node: ast.AST) -> bool:
    """Text made from values: `%`, `+`, an f-string or `.format()`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Call) and _called_name(node) == "format"


def test_no_python_code_compiles_or_trusts_built_text():
    problems = []
    for path in _python_files():
        relative = str(path.relative_to(ROOT))
        for problem in unsafe_calls(path.read_text(), relative):
            what = "help_text" if "help_text" in problem else problem.split()[1]
            if (relative, what) not in ALLOWED:
                problems.append(problem)
    assert not problems, "\n".join(problems)


def test_no_template_prints_unescaped_outside_the_allow_list():
    problems = []
    for path in (ROOT / "templates").rglob("*"):
        if not path.is_file():
            continue
        relative = str(path.relative_to(ROOT))
        for match in UNSAFE_TEMPLATE.finditer(path.read_text()):
            if TEMPLATE_ALLOWED.get(relative) != "autoescape off" or "safe" in match.group(0):
                problems.append(f"{relative}: {match.group(0)}")
    assert not problems, "\n".join(problems)


def test_every_allowed_autoescape_off_is_a_plain_text_email():
    for relative in TEMPLATE_ALLOWED:
        assert relative.startswith("templates/emails/") and relative.endswith(".txt")
        assert (ROOT / relative).exists(), f"stale allow-list entry {relative}"


@pytest.mark.parametrize(
    "source",
    [
        'Fieldset(_("Rate %(name)s") % {"name": subject}, "a")',
        'Fieldset(f"Rate {subject}", "a")',
        'Fieldset("Rate {}".format(subject), "a")',
        'Fieldset("Rate " + subject, "a")',
        "Fieldset(legend)",
        "HTML(user.name)",
        'layout.HTML("<p>" + note + "</p>")',
        "mark_safe(text)",
        'mark_safe("<b>x</b>")',
        "format_html(template, name)",
        "Template(text)",
        "engines['django'].from_string(text)",
        'field.help_text = _("Up to %(n)s") % {"n": user.name}',
        'forms.CharField(help_text=f"{user.name}")',
    ],
)
def test_the_lint_catches_each_shape_of_the_hole(source):
    assert unsafe_calls(source), source


@pytest.mark.parametrize(
    "source",
    [
        'Fieldset(_("Rate each quality"), "a")',
        'Fieldset("Times", "a")',
        'TextFieldset(_("Rate %(name)s") % {"name": subject}, "a")',
        'format_html("<b>{}</b>", name)',
        'forms.CharField(help_text=_("Plain"))',
    ],
)
def test_the_lint_lets_literal_text_through(source):
    assert not unsafe_calls(source), source
