"""Print home_service's dependency graph between its top-level packages (production modules only,
as the contracts in .importlinter see them): each package edge with its number of imports, the
package pairs that import each other, and the module-level import cycles.

	cd apps/home_service && ../../.tools/bin/python import_graph.py [--edges]
"""

import sys
from collections import defaultdict

import grimp

from import_contracts import is_test_module


def package_of(module: str) -> str:
	parts = module.split(".")
	return parts[1] if len(parts) > 1 else parts[0]


def production_graph():
	graph = grimp.build_graph("home_service", cache_dir=None)
	modules = {m for m in graph.modules if not is_test_module(m)}
	edges = {m: {i for i in graph.find_modules_directly_imported_by(m) if i in modules} for m in modules}
	return edges


def module_cycles(edges) -> list[list[str]]:
	"""Strongly connected components of more than one module (Tarjan, iterative)."""
	index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
	for root in sorted(edges):
		if root in index:
			continue
		work = [(root, iter(sorted(edges[root])))]
		index[root] = low[root] = counter[0]
		counter[0] += 1
		stack.append(root)
		on_stack.add(root)
		while work:
			node, children = work[-1]
			child = next(children, None)
			if child is not None:
				if child not in index:
					index[child] = low[child] = counter[0]
					counter[0] += 1
					stack.append(child)
					on_stack.add(child)
					work.append((child, iter(sorted(edges[child]))))
				elif child in on_stack:
					low[node] = min(low[node], index[child])
				continue
			work.pop()
			if work:
				low[work[-1][0]] = min(low[work[-1][0]], low[node])
			if low[node] == index[node]:
				component = []
				while True:
					member = stack.pop()
					on_stack.discard(member)
					component.append(member)
					if member == node:
						break
				if len(component) > 1:
					found.append(sorted(component))
	return found


def main(show_edges: bool) -> None:
	edges = production_graph()
	packages = defaultdict(int)
	for importer, imported in ((m, i) for m, targets in edges.items() for i in targets):
		a, b = package_of(importer), package_of(imported)
		if a != b:
			packages[(a, b)] += 1
	if show_edges:
		for (a, b), count in sorted(packages.items()):
			print(f"{a} -> {b} ({count})")
	pairs = sorted({tuple(sorted(pair)) for pair in packages if pair[::-1] in packages})
	print(f"packages: {len({p for pair in packages for p in pair})}, package edges: {len(packages)}")
	print(f"cyclic package pairs: {len(pairs)}")
	for a, b in pairs:
		print(f"  {a} <-> {b}")
	cycles = module_cycles(edges)
	print(f"module cycles: {len(cycles)}")
	for cycle in cycles:
		print("  " + " <-> ".join(cycle))


if __name__ == "__main__":
	main("--edges" in sys.argv[1:])
