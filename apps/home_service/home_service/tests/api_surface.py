"""Every @endpoint in the app's source, found by reading the files with `ast` rather than by importing
them, so that a module which fails to import or is never imported still counts. Tests compare this
with the registry and with the served OpenAPI document (HTTP suites call it through bench execute)."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1]
PREFIX = "/api/method/"


def declared() -> dict[str, list[str]]:
	"""{"/api/method/<module>.<function>": sorted HTTP methods} for each function decorated @endpoint."""
	found = {}
	for file in sorted(APP.rglob("*.py")):
		relative = file.relative_to(APP.parent).with_suffix("")
		if file.name.startswith("test_") or "tests" in relative.parts:
			continue
		parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
		for node in ast.parse(file.read_text(encoding="utf-8")).body:
			methods = _endpoint_methods(node) if isinstance(node, ast.FunctionDef) else None
			if methods:
				found[f"{PREFIX}{'.'.join(parts)}.{node.name}"] = methods
	return found


def _endpoint_methods(node: ast.FunctionDef) -> list[str] | None:
	for decorator in node.decorator_list:
		call = decorator if isinstance(decorator, ast.Call) else None
		name = call and (getattr(call.func, "id", None) or getattr(call.func, "attr", None))
		if name == "endpoint":
			methods = ("GET",)  # the decorator's default
			for keyword in call.keywords:
				if keyword.arg == "methods":
					methods = ast.literal_eval(keyword.value)
			return sorted(methods)
	return None
