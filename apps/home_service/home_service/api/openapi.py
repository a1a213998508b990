"""The OpenAPI 3 document of the mini-program API, generated from the registered functions.

Parameters and their JSON Schema come from the type hints, summaries from the docstrings, security
from the @endpoint options and error responses from the code (api/raises.py: the exceptions each
method and the app code it calls can raise, as api/errors.py answers them, plus what the request
handling answers for every method), so the document cannot drift from the code.
Served at /api/method/home_service.api.openapi.spec as application/json.
"""

import functools
import importlib
import inspect
import json
import pkgutil
import sys
import types
import typing
from collections import defaultdict

import frappe

from home_service.access.rate_limits import rate_limit
from home_service.api.arguments import Range
from home_service.api.errors import answer_for
from home_service.api.public import RATE_WINDOW, public_limit
from home_service.api.raises import raised_by
from home_service.api.registry import REGISTRY, api_method, api_packages, endpoint

ERROR = {"$ref": "#/components/schemas/Error"}
REASONS = {
	400: "Bad Request",
	401: "Unauthorized",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	409: "Conflict",
	413: "Content Too Large",
	415: "Unsupported Media Type",
	422: "Unprocessable Content",
	429: "Too Many Requests",
	500: "Internal Server Error",
	502: "Bad Gateway",
	503: "Service Unavailable",
}


def load_api_modules() -> None:
	"""Import every module of every API package (`hs_api_packages`: core's and the add-ons'; tests
	aside), so that all endpoints are registered.

	Import errors propagate: a broken module must break this document, and the fuzz run built on
	it, rather than silently drop its methods from both."""
	for name in api_packages():
		package = importlib.import_module(name)
		for info in pkgutil.walk_packages(package.__path__, name + ".", onerror=_reraise):
			if not info.name.rsplit(".", 1)[-1].startswith("test_"):
				importlib.import_module(info.name)


def endpoints() -> list:
	"""The registered endpoints of the API packages, by path (an endpoint registered by a module
	that is no longer an API package, say in a test, stays out of the document)."""
	load_api_modules()
	return sorted((ep for ep in REGISTRY.values() if api_method(ep.path)), key=lambda e: e.path)


def _reraise(_name: str) -> None:
	raise  # walk_packages would otherwise ignore a subpackage that fails to import


def schema_for(annotation) -> dict:
	if annotation is inspect.Parameter.empty or annotation is typing.Any:
		return {}
	origin = typing.get_origin(annotation)
	args = typing.get_args(annotation)
	if origin is typing.Annotated:  # Annotated[int, Range(1, 5)]: the bounds the endpoint checks
		schema = schema_for(args[0])
		for bound in annotation.__metadata__:
			if isinstance(bound, Range) and bound.low is not None:
				schema["minimum"] = bound.low
			if isinstance(bound, Range) and bound.high is not None:
				schema["maximum"] = bound.high
		return schema
	if origin in (typing.Union, types.UnionType):
		options = [schema_for(a) for a in args if a is not type(None)]
		schema = options[0] if len(options) == 1 else {"anyOf": options}
		return {**schema, "nullable": True} if type(None) in args else schema
	if origin is typing.Literal:
		return {"enum": list(args)}
	if origin in (list, tuple, set):
		return {"type": "array", "items": schema_for(args[0]) if args else {}}
	if origin is dict or annotation is dict:
		return {"type": "object"}
	return {
		str: {"type": "string"},
		int: {"type": "integer"},
		float: {"type": "number"},
		bool: {"type": "boolean"},
		list: {"type": "array", "items": {}},
	}.get(annotation, {"type": "string"})


def operation(ep) -> dict:
	props, required = {}, []
	for p in ep.params:
		if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
			continue
		props[p.name] = schema_for(p.annotation)
		if p.default is inspect.Parameter.empty:
			required.append(p.name)
	op = {
		"operationId": ep.path.rsplit("/", 1)[-1].replace(".", "_"),
		"summary": ep.summary or ep.path,
		"tags": [ep.tag],
		"responses": {
			"200": {
				"description": "OK",
				"content": {
					"application/json": {"schema": {"type": "object", "properties": {"message": {}}}}
				},
			},
			**error_responses(ep),
		},
	}
	if ep.description:
		op["description"] = ep.description
	if not ep.guest:
		op["security"] = [{"hsToken": []}]
	else:
		op["security"] = [{}, {"hsToken": []}]
	if ep.roles:
		op["x-roles"] = list(ep.roles)
	if ep.rate_limited:
		op["x-rate-limited"] = True
	return op, {"type": "object", "properties": props, "required": required} if required else {
		"type": "object",
		"properties": props,
	}


def error_responses(ep) -> dict[str, dict]:
	"""Each HTTP error status the method can answer with, and the `error.code` values it comes with."""
	codes = defaultdict(set)
	for status, code in error_codes(ep.path):
		codes[status].add(code)
	return {
		str(status): {
			"description": f"{REASONS.get(status, 'Error')}: {', '.join(sorted(codes[status]))}",
			"content": {
				"application/json": {
					"schema": {
						"allOf": [
							ERROR,
							{
								"properties": {
									"error": {"properties": {"code": {"enum": sorted(codes[status])}}}
								}
							},
						]
					}
				}
			},
		}
		for status in sorted(codes)
	}


def whitelisted(ep):
	"""The function Frappe calls for an endpoint: the endpoint's own, inside @endpoint's checks."""
	return getattr(sys.modules[ep.fn.__module__], ep.fn.__name__, ep.fn)


@functools.cache
def error_codes(path: str) -> frozenset[tuple[int, str]]:
	"""(status, code) pairs of one endpoint: from the code it runs, and from the request handling."""
	ep = next(e for e in REGISTRY.values() if e.path == path)
	answers = {answer_for(exc) for exc in raised_by(whitelisted(ep))}
	# any token can have expired; the database or Redis can be away for a moment (home_service/wsgi.py)
	answers |= {(401, "UNAUTHENTICATED"), (405, "METHOD_NOT_ALLOWED"), (503, "SERVICE_UNAVAILABLE")}
	if set(ep.methods) - {"GET"}:  # a body: not JSON, JSON but not an object (Frappe), too large, not JSON
		answers |= {(400, "INVALID_JSON"), (422, "INVALID"), (413, "REQUEST_TOO_LARGE")}
		answers.add((415, "UNSUPPORTED_MEDIA_TYPE"))  # api/errors.py
	if ep.rate_limited:
		answers.add((429, "RATE_LIMITED"))
	return frozenset(answers)


def build() -> dict:
	paths = {}
	for ep in endpoints():
		item = {}
		for method in ep.methods:
			op, body = operation(ep)
			if method == "GET":
				op["parameters"] = [
					{
						"name": name,
						"in": "query",
						"required": name in body.get("required", []),
						"schema": schema,
					}
					for name, schema in body["properties"].items()
				]
			else:
				op["requestBody"] = {
					"required": bool(body.get("required")),
					"content": {"application/json": {"schema": body}},
				}
			item[method.lower()] = op
		paths[ep.path] = item
	return {
		"openapi": "3.0.3",
		"info": {
			"title": "Home Service mini-program API",
			"version": frappe.get_attr("home_service.__version__"),
			"description": "Whitelisted methods for the customer and technician mini-programs. "
			"Authenticate with the X-HS-Token header from a login method. Errors: HTTP 4xx with "
			'{"error": {"code", "message", "type"}}.',
		},
		"servers": [{"url": frappe.utils.get_url()}],
		"paths": paths,
		"components": {
			"securitySchemes": {"hsToken": {"type": "apiKey", "in": "header", "name": "X-HS-Token"}},
			"schemas": {
				"Error": {
					"type": "object",
					"required": ["error"],
					"properties": {
						"error": {
							"type": "object",
							"required": ["code", "message"],
							"properties": {
								"code": {"type": "string"},
								"message": {"type": "string"},
								"type": {"type": "string", "nullable": True},
							},
						}
					},
				}
			},
		},
	}


@endpoint(methods=("GET",), guest=True, tag="meta")
@rate_limit(limit=public_limit, seconds=RATE_WINDOW)  # a guest method building a large document
def spec() -> None:
	"""The OpenAPI 3 document of this API (raw JSON, for tools such as Swagger UI or schemathesis)."""
	frappe.local.response.update(
		{
			"type": "download",  # Frappe's raw response: the body as is, with this content type
			"content_type": "application/json",
			"display_content_as": "inline",
			"filename": "openapi.json",
			"filecontent": json.dumps(build(), ensure_ascii=False),
		}
	)


@endpoint(methods=("GET",), tag="meta")
def ping() -> dict:
	"""Cheapest authenticated call: who am I (the framework's floor for benchmarks)."""
	return {"user": frappe.session.user}
