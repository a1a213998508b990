#!/usr/bin/env python3
"""commit-msg hook (.pre-commit-config.yaml): the subject in the conventional style, at most 72
characters, and a blank line before any body. Like commitlint's config-conventional, written here in
the standard library so the hook needs no network and no Node at commit time.

    type(scope)!: subject        type: one of TYPES; (scope) and ! are optional

Merge commits and git's own fixup!/squash!/amend! subjects pass as they are. Usage: commit_msg.py FILE
(git passes the message file); exit status 1 with the reasons on stderr when the message is refused.
"""

import re
import sys

TYPES = ("feat", "fix", "docs", "style", "refactor", "perf", "test", "build", "ci", "chore", "revert")
MAX_SUBJECT = 72
SUBJECT = re.compile(r"^(?P<type>[a-z]+)(?:\((?P<scope>[a-z0-9][a-z0-9._/-]*)\))?!?: (?P<text>\S.*)$")
PASSING = ("Merge ", "fixup! ", "squash! ", "amend! ")


def message_lines(text: str) -> list[str]:
	"""The message as git stores it: comment lines and the diff below a --verbose scissors dropped."""
	lines = []
	for line in text.splitlines():
		if line.startswith("# ------------------------ >8 ------------------------"):
			break
		if not line.startswith("#"):
			lines.append(line.rstrip())
	while lines and not lines[0]:
		lines.pop(0)
	return lines


def problems(text: str) -> list[str]:
	lines = message_lines(text)
	if not lines:
		return ["the message is empty"]
	subject = lines[0]
	if subject.startswith(PASSING):
		return []
	found = []
	match = SUBJECT.match(subject)
	if not match:
		found.append(f"the subject is not 'type(scope): text' (types: {', '.join(TYPES)})")
	elif match["type"] not in TYPES:
		found.append(f"unknown type '{match['type']}' (types: {', '.join(TYPES)})")
	elif match["text"].endswith("."):
		found.append("the subject ends with a full stop")
	if len(subject) > MAX_SUBJECT:
		found.append(
			f"the subject has {len(subject)} characters, at most {MAX_SUBJECT}: move details to the body"
		)
	if len(lines) > 1 and lines[1]:
		found.append("the second line must be blank: the body starts after it")
	return found


def main(argv: list[str]) -> int:
	if len(argv) != 2:
		print("usage: commit_msg.py COMMIT_MSG_FILE", file=sys.stderr)
		return 2
	with open(argv[1], encoding="utf-8") as f:
		found = problems(f.read())
	for problem in found:
		print(f"commit message: {problem}", file=sys.stderr)
	return 1 if found else 0


if __name__ == "__main__":
	sys.exit(main(sys.argv))
