"""The import contracts of apps/home_service/.importlinter pass on this code, and fail on a copy of it
into which a forbidden import was put back: a cycle hidden inside a function, a lower layer reaching
up, core importing an add-on, production code importing a test helper. Needs no running site."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "apps" / "home_service"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
LAYERS = "Core layers: a module imports only from its own layer or below"
ACYCLIC = "No import cycles between sibling packages or modules, at any depth"
ADDONS = "Core never imports an add-on"
TESTS = "Production code imports no test code"


def lint(folder: Path) -> tuple[int, str]:
	result = subprocess.run(
		[str(LINT_IMPORTS), "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=300
	)
	return result.returncode, result.stdout + result.stderr


def status(output: str, contract: str) -> str:
	for line in output.splitlines():
		if line.startswith(contract + " "):
			return line.rsplit(" ", 1)[1]
	raise AssertionError(f"contract {contract!r} not reported:\n{output}")


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
	"""The app's Python code and contracts, in a folder a test may change."""
	root = tmp_path_factory.mktemp("app")
	shutil.copytree(
		APP / "home_service",
		root / "home_service",
		ignore=shutil.ignore_patterns("node_modules", "public", "__pycache__", "*.json", "*.js", "*.css"),
	)
	for name in (".importlinter", "import_contracts.py"):
		shutil.copy(APP / name, root / name)
	return root


@pytest.fixture
def edit(copy):
	"""Append lines to a module of the copy; put it back afterwards."""
	saved = {}

	def append(module: str, text: str) -> None:
		path = copy / (module.replace(".", "/") + ".py")
		saved.setdefault(path, path.read_text())
		path.write_text(saved[path] + "\n" + text + "\n")

	yield append
	for path, text in saved.items():
		path.write_text(text)


def test_the_code_keeps_every_contract():
	code, output = lint(APP)
	assert code == 0, output
	for contract in (LAYERS, ACYCLIC, ADDONS, TESTS):
		assert status(output, contract) == "KEPT"


def test_a_cycle_inside_a_function_breaks_the_contracts(copy, edit):
	# scheduling sits below booking, which imports it: the old hidden back-edge, put back
	edit("home_service.scheduling.calendar", "def _status():\n\tfrom home_service.booking import lifecycle\n")
	code, output = lint(copy)
	assert code != 0
	assert status(output, LAYERS) == "BROKEN"
	assert status(output, ACYCLIC) == "BROKEN"
	assert "home_service.scheduling.calendar -> home_service.booking.lifecycle" in output


def test_a_cycle_between_two_modules_of_one_package_breaks_the_acyclic_contract(copy, edit):
	# payments imports refunds; refunds reaching back (as it did for Outcome) is a cycle in billing
	edit("home_service.billing.refunds", "def _late():\n\tfrom home_service.billing import payments\n")
	code, output = lint(copy)
	assert code != 0
	assert status(output, LAYERS) == "KEPT"  # one package: no layer is crossed
	assert status(output, ACYCLIC) == "BROKEN"


def test_core_importing_an_addon_breaks_the_addon_contract(copy, edit):
	edit("home_service.billing.ledger", "def _board():\n\timport hs_recycling.price_board\n")
	code, output = lint(copy)
	assert code != 0
	assert status(output, ADDONS) == "BROKEN"


def test_production_code_importing_a_test_helper_breaks_the_tests_contract(copy, edit):
	edit("home_service.devtools.pay_flow", "from home_service.tests.factories import advance")
	code, output = lint(copy)
	assert code != 0
	assert status(output, TESTS) == "BROKEN"
	assert "home_service.devtools.pay_flow -> home_service.tests.factories" in output


def test_a_test_module_may_cross_layers(copy, edit):
	edit("home_service.scheduling.test_availability", "from home_service.billing import payments")
	code, output = lint(copy)
	assert code == 0, output
