"""The API's OpenAPI description, written by hand so it says what the contract says."""

from __future__ import annotations

from typing import Any

from gkcheck import __version__

__all__ = ["openapi"]

_JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def openapi(auth: bool) -> dict[str, Any]:
    """The OpenAPI 3.1 document; ``auth`` adds the bearer scheme the server then requires."""
    error = {"description": "error", "content": {_JSON: {"schema": _ref("Error")}}}
    busy = {
        "description": "every worker busy and the queue full; retry after the given seconds",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": {_JSON: {"schema": _ref("Error")}},
    }
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "gkcheck",
            "version": __version__,
            "description": "Checks 政务公开主题日 submissions. The RESULT objects are the JSON "
            "contract of `gkcheck check --format json` (docs/json.md); see docs/http-api.md.",
        },
        "paths": {
            "/api/v1/check": {
                "post": {
                    "summary": "Check uploaded reports, a submission, or a zip",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["files"],
                                    "properties": {
                                        "files": {
                                            "type": "array",
                                            "items": {"type": "string", "format": "binary"},
                                            "description": "one or more .docx/.pdf/images, or one .zip",
                                        },
                                        "lang": {"type": "string", "enum": ["zh", "en"]},
                                        "select": {
                                            "type": "string",
                                            "description": "rules to run, comma-separated",
                                        },
                                        "ignore": {
                                            "type": "string",
                                            "description": "rules to skip, comma-separated",
                                        },
                                        "mode": {
                                            "type": "string",
                                            "enum": ["files", "submission"],
                                            "description": "files: each file alone (default, as `gkcheck check a b`); "
                                            "submission: all files as one unit's folder",
                                        },
                                        "name": {
                                            "type": "string",
                                            "description": "the submission's name (mode=submission)",
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "the JSON contract",
                            "content": {_JSON: {"schema": _ref("Envelope")}},
                        },
                        "400": error,
                        "401": error,
                        "413": error,
                        "503": busy,
                    },
                }
            },
            "/api/v1/banner": {
                "post": {
                    "summary": "Validate a banner (会标) text",
                    "requestBody": {
                        "required": True,
                        "content": {
                            _JSON: {
                                "schema": {
                                    "type": "object",
                                    "required": ["text"],
                                    "properties": {
                                        "text": {"type": "string", "maxLength": 500},
                                        "lang": {"type": "string", "enum": ["zh", "en"]},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "as `gkcheck banner --format json TEXT`",
                            "content": {_JSON: {}},
                        },
                        "400": error,
                        "401": error,
                    },
                }
            },
            "/api/v1/rules": {
                "get": {
                    "summary": "Every rule (as `gkcheck rules --format json`)",
                    "parameters": [
                        {
                            "name": "lang",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["zh", "en"]},
                        }
                    ],
                    "responses": {
                        "200": {"description": "rules", "content": {_JSON: {}}},
                        "401": error,
                    },
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Liveness and pool state (no token needed)",
                    "responses": {"200": {"description": "ok", "content": {_JSON: {}}}},
                }
            },
        },
        "components": {
            "schemas": {
                "Envelope": {
                    "type": "object",
                    "properties": {
                        "schema": {"type": "integer", "const": 1},
                        "gkcheck": {"type": "string"},
                        "results": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                },
            }
        },
    }
    if auth:
        doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        doc["security"] = [{"bearer": []}]
        doc["paths"]["/healthz"]["get"]["security"] = []
    return doc
