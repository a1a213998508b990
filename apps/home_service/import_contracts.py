"""import-linter contract types for home_service's production code (see .importlinter beside this).

Test modules (`home_service.tests.*` and every `test_*` module next to the code it tests) may reach
across layers: an integration test of billing pays a booking. The layer and no-cycle contracts are
therefore checked on the production modules only; import-linter cannot say "every module named
test_*" (its wildcards replace whole names), so these wrappers drop those modules from the contract's
own copy of the graph first. A third type checks that no production module imports test code.
"""

from importlinter.application import output
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.layers import LayersContract
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def is_test_module(name: str) -> bool:
	parts = name.split(".")
	return parts[1:2] == ["tests"] or parts[-1].startswith("test_")


class _ProductionOnly:
	def check(self, graph, verbose: bool) -> ContractCheck:
		for module in [m for m in graph.modules if is_test_module(m)]:
			graph.remove_module(module)  # import-linter hands each contract its own copy of the graph
		return super().check(graph, verbose)


class ProductionLayersContract(_ProductionOnly, LayersContract):
	"""import-linter's `layers`, over production modules only."""


class ProductionAcyclicSiblingsContract(_ProductionOnly, AcyclicSiblingsContract):
	"""import-linter's `acyclic_siblings`, over production modules only."""


class NoTestImportsContract(Contract):
	"""No production module under `root` imports a test module (directly; an indirect import needs a
	direct one somewhere, which this reports)."""

	root = fields.StringField()

	def check(self, graph, verbose: bool) -> ContractCheck:
		root = self.root
		found = []
		for importer in sorted(graph.modules):
			if not (importer == root or importer.startswith(root + ".")) or is_test_module(importer):
				continue
			for imported in sorted(graph.find_modules_directly_imported_by(importer)):
				if is_test_module(imported):
					lines = graph.get_import_details(importer=importer, imported=imported)
					found.append((importer, imported, [d["line_number"] for d in lines]))
		return ContractCheck(kept=not found, metadata={"imports": found})

	def render_broken_contract(self, check: ContractCheck) -> None:
		for importer, imported, lines in check.metadata["imports"]:
			where = ", ".join(f"l.{n}" for n in lines)
			output.print_error(f"{importer} -> {imported} ({where})", bold=False)
			output.new_line()
