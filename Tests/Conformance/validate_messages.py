#!/usr/bin/env python3
"""Validate the messages ecbridge plans against the official JSON Schemas.

Input: one or more JSON files (or directories of *.json files) holding `ecbridge map` output
(design.md §4.3: {"event":…, "deliveries":[…], "skipped":[…]}), an array of such outputs, or a bare
array of deliveries.

For each delivery:
  * SolarNetwork OCPP (path …/instr/add/OCPP_v16 | OCPP_v201): every params value must be a string;
    params.msg is parsed and validated against the OCPP schema for params.action
    (1.6: <Action>.json, 2.0.1: <Action>Request.json).
  * SolarNetwork OSCP (…/instr/add/OSCP_v20): params strings, msg validated against the OSCP 2.0 schema
    for the action, and msg.group_id must equal params.cgIdentifier.
  * direct OSCP (url …/update_group_capacity_forecast etc.): body validated against the OSCP schema.
  * GreenFlux (url …/capacityscenarios/datetime): body checked against a small inline schema
    (GreenFlux publishes no JSON Schema for it).

Numbers are parsed with parse_float=Decimal, in messages AND schemas, so OCPP 1.6's `multipleOf 0.1`
is judged on the decimal value (8.1 is valid, 7.25 is not), as mobilityhouse/ocpp does.

Schemas: --schemas DIR or $ECBRIDGE_SCHEMAS (layout: ocpp16/, ocpp201/, oscp20/, as in the project's
reference schemas); else the PyPI package `ocpp`'s bundled schemas for OCPP, and OSCP is skipped with a
message. Exit status: 0 when every message is valid, 1 when any is invalid, 2 on usage/setup errors.
Prints "conformance: N passed, M failed[, K skipped]" last.
"""
import argparse
import datetime
import json
import os
import re
import sys
from decimal import Decimal
from pathlib import Path

try:
    import jsonschema
except ImportError:  # pragma: no cover
    print("conformance: the Python package 'jsonschema' is required (pip install jsonschema)", file=sys.stderr)
    sys.exit(2)

OSCP_BASE = "http://www.openchargealliance.org/schemas/oscp/2.0/"
OSCP_FILES = {
    "AdjustGroupCapacityForecast": "adjust-group-capacity-forecast.json",
    "UpdateGroupCapacityForecast": "update-group-capacity-forecast.json",
    "GroupCapacityComplianceError": "group-capacity-compliance-error.json",
    "Handshake": "handshake.json",
    "UpdateGroupMeasurements": "update-group-measurements.json",
    "UpdateAssetMeasurement": "update-asset-measurements.json",
}
OSCP_PATHS = {
    "update_group_capacity_forecast": "UpdateGroupCapacityForecast",
    "adjust_group_capacity_forecast": "AdjustGroupCapacityForecast",
    "group_capacity_compliance_error": "GroupCapacityComplianceError",
    "update_group_measurements": "UpdateGroupMeasurements",
    "heartbeat": None,
}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

GREENFLUX_SCENARIOS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["capacity", "start_date_time", "end_date_time"],
        "additionalProperties": False,
        "properties": {
            "capacity": {"type": "number", "minimum": 0},
            "start_date_time": {"type": "string", "format": "date-time"},
            "end_date_time": {"type": "string", "format": "date-time"},
        },
    },
}


def load_json(path):
    with open(path, "r", encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal)


def format_checker():
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("date-time")
    def is_date_time(value):
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            return False
        try:
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
        return True

    return checker


class Schemas:
    def __init__(self, root):
        self.root = Path(root) if root else None
        self.ocpp_pkg = None
        self.oscp_registry = None
        self.notes = []
        if self.root is None:
            try:
                import ocpp  # noqa: F401
                self.ocpp_pkg = Path(ocpp.__file__).parent
                self.notes.append(f"OCPP schemas from the 'ocpp' package at {self.ocpp_pkg}")
            except ImportError:
                self.notes.append("no schema directory and no 'ocpp' package: OCPP messages are skipped")
            self.notes.append("no schema directory: OSCP messages are skipped (pass --schemas or ECBRIDGE_SCHEMAS)")
        else:
            if not self.root.is_dir():
                raise SystemExit(f"conformance: schema directory {self.root} does not exist")
            self.notes.append(f"schemas from {self.root}")
        self.cache = {}

    def ocpp_schema_path(self, version, action):
        name = f"{action}.json" if version == "v16" else f"{action}Request.json"
        if self.root is not None:
            return self.root / ("ocpp16" if version == "v16" else "ocpp201") / name
        if self.ocpp_pkg is not None:
            return self.ocpp_pkg / version / "schemas" / name
        return None

    def ocpp_validator(self, version, action):
        path = self.ocpp_schema_path(version, action)
        if path is None:
            return None, "no OCPP schemas available"
        if not path.is_file():
            return None, f"no schema {path.name} for action {action}"
        key = str(path)
        if key not in self.cache:
            schema = load_json(path)
            cls = jsonschema.validators.validator_for(schema)
            self.cache[key] = cls(schema, format_checker=format_checker())
        return self.cache[key], None

    def oscp_validator(self, action):
        if self.root is None:
            return None, "OSCP schemas not available"
        file = OSCP_FILES.get(action)
        if file is None:
            return None, f"no OSCP schema known for action {action}"
        if self.oscp_registry is None:
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT7
            resources = []
            for p in sorted((self.root / "oscp20").glob("*.json")):
                if p.name.startswith("example-"):
                    continue  # example payloads, not schemas
                contents = load_json(p)
                resource = Resource.from_contents(contents, default_specification=DRAFT7)
                resources.append((OSCP_BASE + p.name, resource))
                if isinstance(contents, dict) and "$id" in contents and contents["$id"] != OSCP_BASE + p.name:
                    resources.append((contents["$id"], resource))
            self.oscp_registry = Registry().with_resources(resources)
        key = "oscp:" + file
        if key not in self.cache:
            schema = load_json(self.root / "oscp20" / file)
            cls = jsonschema.validators.validator_for(schema)
            self.cache[key] = cls(schema, registry=self.oscp_registry, format_checker=format_checker())
        return self.cache[key], None


def deliveries_of(document):
    if isinstance(document, dict) and "deliveries" in document:
        return list(document.get("deliveries") or [])
    if isinstance(document, list):
        out = []
        for item in document:
            if isinstance(item, dict) and "deliveries" in item:
                out.extend(item.get("deliveries") or [])
            elif isinstance(item, dict) and "body" in item:
                out.append(item)
        return out
    return []


def errors_of(validator, instance):
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '$'}: {e.message}"
            for e in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))]


def check_delivery(d, schemas):
    """Returns (status, label, problems) with status 'pass', 'fail' or 'skip'."""
    channel = d.get("channel", "?")
    who = d.get("resourceId") or d.get("locationId") or d.get("meterPointId") or "?"
    body = d.get("body")
    path = d.get("path") or ""
    url = d.get("url") or ""
    topic = path.rsplit("/", 1)[-1] if path else ""
    if topic.startswith("OCPP_") or topic == "OSCP_v20":
        params = (body or {}).get("params") if isinstance(body, dict) else None
        if not isinstance(params, dict):
            return "fail", f"{channel} {who}", ["body.params is missing"]
        problems = [f"params.{k} is not a string" for k, v in params.items() if not isinstance(v, str)]
        action = params.get("action")
        label = f"{channel} {who} {topic} {action}"
        try:
            message = json.loads(params.get("msg", ""), parse_float=Decimal)
        except (ValueError, TypeError) as e:
            return "fail", label, problems + [f"params.msg is not JSON: {e}"]
        if topic == "OSCP_v20":
            if isinstance(message, dict) and action == "AdjustGroupCapacityForecast" \
                    and message.get("group_id") != params.get("cgIdentifier"):
                problems.append("msg.group_id differs from params.cgIdentifier")
            validator, why = schemas.oscp_validator(action)
        else:
            validator, why = schemas.ocpp_validator("v16" if topic == "OCPP_v16" else "v201", action)
        if validator is None:
            return ("fail" if problems else "skip"), label, problems or [why]
        problems += errors_of(validator, message)
        return ("fail" if problems else "pass"), label, problems
    if url:
        last = url.rstrip("/").rsplit("/", 1)[-1]
        if last in OSCP_PATHS:
            action = OSCP_PATHS[last]
            label = f"{channel} {who} {action or last}"
            if action is None:
                return "skip", label, ["no forecast schema for this path"]
            validator, why = schemas.oscp_validator(action)
            if validator is None:
                return "skip", label, [why]
            problems = errors_of(validator, body)
            return ("fail" if problems else "pass"), label, problems
        if url.endswith("/capacityscenarios/datetime"):
            label = f"{channel} {who} capacity scenarios"
            validator = jsonschema.Draft7Validator(GREENFLUX_SCENARIOS, format_checker=format_checker())
            problems = errors_of(validator, body)
            for i, entry in enumerate(body if isinstance(body, list) else []):
                if isinstance(entry, dict) and str(entry.get("start_date_time")) >= str(entry.get("end_date_time")):
                    problems.append(f"{i}: start_date_time is not before end_date_time")
            return ("fail" if problems else "pass"), label, problems
    return "skip", f"{channel} {who}", ["unrecognised delivery (no known path or url)"]


def input_files(args):
    files = []
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            files.extend(sorted(p.glob("*.json")))
        else:
            files.append(p)
    return files


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="map output files or directories of them")
    parser.add_argument("--schemas", default=os.environ.get("ECBRIDGE_SCHEMAS"),
                        help="schema directory with ocpp16/, ocpp201/, oscp20/ (default $ECBRIDGE_SCHEMAS)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    args = parser.parse_args(argv)
    schemas = Schemas(args.schemas)
    for note in schemas.notes:
        print(f"conformance: {note}")
    passed = failed = skipped = 0
    files = input_files(args.inputs)
    if not files:
        print("conformance: no input files", file=sys.stderr)
        return 2
    for file in files:
        try:
            document = load_json(file)
        except (OSError, ValueError) as e:
            print(f"FAIL {file}: cannot read JSON: {e}")
            failed += 1
            continue
        for d in deliveries_of(document):
            status, label, problems = check_delivery(d, schemas)
            if status == "pass":
                passed += 1
                if not args.quiet:
                    print(f"ok   {file.name}: {label}")
            elif status == "skip":
                skipped += 1
                if not args.quiet:
                    print(f"skip {file.name}: {label}: {'; '.join(problems)}")
            else:
                failed += 1
                print(f"FAIL {file.name}: {label}")
                for p in problems:
                    print(f"       {p}")
    summary = f"conformance: {passed} passed, {failed} failed"
    if skipped:
        summary += f", {skipped} skipped"
    print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
