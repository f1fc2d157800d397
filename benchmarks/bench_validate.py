#!/usr/bin/env python3
"""Cost of checking a valid request: `find_problems` against botocore's own parameter check.

The emulator runs `twinkit.wire.find_problems` on every request it receives and the SDK on
every typed request; nearly all of them are valid. Two requests, as wire dicts:

  - BatchPutPropertyValues, 10 entries x 10 values (`{"doubleValue": ...}`, `time` strings);
  - CreateEntity of a real entity from the corpus: the `components` map of
    `twinmaker-dynamicscenes-crossdock-demo/scene-entities/CrossDock-Inbound.json`.

For each, timed in one run:

  (a) botocore's `ParamValidator().validate(params, input_shape)`: what every raw boto3 call
      already pays before serializing (the denominator);
  (b) the walker alone (`twinkit._validate._Walker`): `find_problems` before the fast check;
  (c) `find_problems(wire, shape)`, the SDK's rules: the generated fast check, then nothing;
  (d) `find_problems(wire, shape, Checks(enums=True))`, the emulator's rules.

Before timing it checks that every one of them finds the request valid.

    python benchmarks/bench_validate.py            # ~40 s
    python benchmarks/bench_validate.py --quick    # smoke run, not figures to quote
    python benchmarks/bench_validate.py --profile  # also cProfile (b) and (c) on BatchPut

Needs only twinkit (imported from this checkout) and botocore; the corpus for CreateEntity
(/work/shared/corpus, or `TWINKIT_CORPUS`).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import botocore.session
import botocore.validate
from _harness import Row, bench, options, preamble, profile

from twinkit._validate import REQUEST, Checks, _Walker
from twinkit.wire import find_problems

CORPUS = Path(
    os.environ.get("TWINKIT_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)
ENTITY = "twinmaker-dynamicscenes-crossdock-demo/scene-entities/CrossDock-Inbound.json"
SERVICE = Checks(enums=True)


def batch_request(entries: int = 10, values: int = 10) -> dict[str, Any]:
    """A BatchPutPropertyValues request as boto3 takes it: distinct times, double values."""
    return {
        "workspaceId": "cookiefactory",
        "entries": [
            {
                "entityPropertyReference": {
                    "entityId": f"Mixer_{e}_cd81d9fd-3f74-437a-802b-9747ff240837",
                    "componentName": "MixerComponent",
                    "propertyName": "temperature",
                },
                "propertyValues": [
                    {
                        "time": f"2026-01-01T00:{e:02d}:{v:02d}.123456789Z",
                        "value": {"doubleValue": 20.0 + e + v / 8},
                    }
                    for v in range(values)
                ],
            }
            for e in range(entries)
        ],
    }


def entity_request() -> dict[str, Any]:
    """CreateEntity of the corpus entity (valid as-is, MANIFEST.md says)."""
    components = json.loads((CORPUS / ENTITY).read_text(encoding="utf-8"))
    return {"workspaceId": "crossdock", "entityName": "CrossDock Inbound", "components": components}


def walk(wire: dict[str, Any], shape_name: str) -> list[Any]:
    walker = _Walker(REQUEST)
    walker.walk(wire, shape_name, shape_name, "")
    return walker.problems


def table(rows: list[Row], ref: Row) -> str:
    lines = [
        "| row | measurement | µs/call, GC on (median) | min-max | µs/call, GC off "
        "| ÷ (a), GC on | ÷ (a), GC off | (b) ÷ this, GC on |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    walker = rows[1]
    for r in rows:
        lines.append(
            f"| {r.id} | {r.label} | **{r.median * 1e6:.1f}** "
            f"| {min(r.times) * 1e6:.1f}-{max(r.times) * 1e6:.1f} | {r.median_nogc * 1e6:.1f} "
            f"| **{r.median / ref.median:.2f}x** | {r.median_nogc / ref.median_nogc:.2f}x "
            f"| {walker.median / r.median:.1f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    args = options(__doc__, reps=11, min_time=0.3, profile="(b) and (c) on BatchPut")
    t_start = time.perf_counter_ns()
    load0 = preamble(args)
    service = botocore.session.get_session().get_service_model("iottwinmaker")
    validator = botocore.validate.ParamValidator()

    requests = [
        ("BatchPutPropertyValues 10 x 10", "BatchPutPropertyValuesRequest", batch_request()),
        ("CreateEntity (corpus: CrossDock-Inbound)", "CreateEntityRequest", entity_request()),
    ]
    for title, shape_name, wire in requests:
        input_shape = service.operation_model(shape_name.removesuffix("Request")).input_shape
        assert not validator.validate(wire, input_shape).has_errors(), title
        assert walk(wire, shape_name) == [], title
        assert find_problems(wire, shape_name) == [], title
        assert find_problems(wire, shape_name, SERVICE) == [], title

        def botocore_check(wire: Any = wire, shape: Any = input_shape) -> Any:
            return validator.validate(wire, shape)

        def walker(wire: Any = wire, name: str = shape_name) -> Any:
            return walk(wire, name)

        def sdk(wire: Any = wire, name: str = shape_name) -> Any:
            return find_problems(wire, name)

        def emulator(wire: Any = wire, name: str = shape_name) -> Any:
            return find_problems(wire, name, SERVICE)

        print(f"timing {title} ...", file=sys.stderr)
        timing = {"reps": args.reps, "min_time": args.min_time}
        rows = [
            bench("(a)", "botocore `ParamValidator().validate`", botocore_check, **timing),
            bench("(b)", "the walker alone (before)", walker, **timing),
            bench("(c)", "`find_problems`, SDK rules (after)", sdk, **timing),
            bench("(d)", "`find_problems`, emulator rules (after)", emulator, **timing),
        ]
        print(f"### {title} ({len(json.dumps(wire)):,} bytes of JSON)\n")
        print(table(rows, rows[0]))
        print()
        if args.profile and shape_name.startswith("Batch"):
            print(profile("(b) the walker", walker, 50, 8))
            print(profile("(c) find_problems", sdk, 50, 8))
    load1 = os.getloadavg()[0]
    print(
        f"Run: {(time.perf_counter_ns() - t_start) / 1e9:.0f} s; load average before/after "
        f"{load0:.2f}/{load1:.2f}."
    )


if __name__ == "__main__":
    main()
