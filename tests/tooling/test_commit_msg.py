"""The commit-msg hook (bench-config/commit_msg.py) takes conventional subjects of at most 72
characters and refuses the rest, with a reason. Needs no running site."""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench-config" / "commit_msg.py"


def check(tmp_path: Path, message: str) -> tuple[int, str]:
	file = tmp_path / "COMMIT_EDITMSG"
	file.write_text(message, encoding="utf-8")
	done = subprocess.run([sys.executable, SCRIPT, file], capture_output=True, text=True, check=False)
	return done.returncode, done.stderr


@pytest.mark.parametrize(
	"message",
	[
		"feat(api): add-on API packages get the gate, errors and OpenAPI\n\nWhy it matters.\n",
		"fix: one line\n",
		"refactor(booking)!: flags.hs_loaded replaces two flags\n",
		"docs(readme): x\n# Please enter the commit message for your changes.\n",
		"test(miniprogram): " + "x" * 53 + "\n",  # exactly 72
		"Merge branch 'main' of elsewhere into main\n",
		"fixup! feat(api): something\n",
	],
)
def test_conventional_subjects_pass(tmp_path, message):
	assert check(tmp_path, message) == (0, "")


@pytest.mark.parametrize(
	"message, reason",
	[
		("Add the API hook\n", "not 'type(scope): text'"),
		("feature(api): add the hook\n", "unknown type 'feature'"),
		("feat(api) add the hook\n", "not 'type(scope): text'"),
		("feat(API): add the hook\n", "not 'type(scope): text'"),
		("feat(api): add the hook.\n", "full stop"),
		("test(miniprogram): " + "x" * 54 + "\n", "73 characters, at most 72"),
		("feat(api): add the hook\nthe body without a blank line\n", "second line must be blank"),
		("# only a comment\n\n", "empty"),
	],
)
def test_other_messages_are_refused_with_the_reason(tmp_path, message, reason):
	status, stderr = check(tmp_path, message)
	assert status == 1
	assert reason in stderr


def test_the_diff_of_a_verbose_commit_is_not_the_message(tmp_path):
	message = "fix: short\n# ------------------------ >8 ------------------------\n" + "diff " * 40 + "\n"
	assert check(tmp_path, message) == (0, "")
