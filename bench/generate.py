"""Synthetic data in the project's own source format, for the benchmark.

``python bench/generate.py N OUT`` writes a complete data folder to OUT: the real reference
data (schemes, municipalities, region, documents, legislation, the real organisations) plus N
synthetic organisations shaped like the real ones (types, themes, target groups, sites with
addresses, services, dated figures, municipalities). Every synthetic value is marked as such
(names, sources under https://bench.example.org/); nothing here is ever published.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "https://bench.example.org/source"
STREETS = ["Kerkstraat", "Stationsstraat", "Marktplein", "Nieuwstraat", "Molenstraat",
           "Brugsesteenweg", "Ieperstraat", "Hoogstraat", "Dorpsstraat", "Kortrijksestraat"]
SERVICES = [("groenonderhoud", "Groenonderhoud", "Green maintenance"),
            ("schoonmaak", "Schoonmaak", "Cleaning"),
            ("assemblage", "Assemblage en verpakking", "Assembly and packaging"),
            ("kringwinkel", "Kringwinkel", "Second-hand shop"),
            ("catering", "Catering", "Catering"),
            ("fietsherstel", "Fietsherstel", "Bicycle repair"),
            ("drukwerk", "Drukwerk", "Printing"),
            ("strijkatelier", "Strijkatelier", "Ironing")]


def enterprise_number(rng: random.Random) -> str:
    """A 10-digit number with a valid mod-97 check (synthetic)."""
    base = rng.randrange(2_000_000, 9_999_999)
    check = 97 - (base % 97)
    digits = f"0{base:07d}{check:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def keys_of(path: Path) -> list[str]:
    scheme = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [str(c["key"]) for c in scheme["concepts"]]


def municipalities(data: Path) -> list[tuple[str, str, str]]:
    import csv

    rows = []
    with (data / "municipalities.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["valid_through"]:
                postcode = row["postcodes"].split(";")[0]
                rows.append((row["nis"], row["name_nl"], postcode))
    return rows


def organisation(index: int, rng: random.Random, themes: list[str], groups: list[str],
                 types: list[str], places: list[tuple[str, str, str]]) -> dict[str, object]:
    key = f"bench-{index:06d}"

    def src() -> list[str]:
        return [f"{SOURCE}/{key}"]

    def sourced(value: object) -> dict[str, object]:
        return {"value": value, "sources": src()}

    home = rng.choice(places)
    other = rng.choice(places)
    sites = []
    for n, place in enumerate((home, other)):
        nis, name, postcode = place
        sites.append({
            "key": f"site-{n}", "name": f"Vestiging {name}", "municipality": nis,
            "address": {"street": rng.choice(STREETS), "number": str(rng.randrange(1, 200)),
                        "postcode": postcode, "locality": name},
            "sources": src()})
    services = []
    for code, nl, en in rng.sample(SERVICES, 2):
        services.append({
            "key": code, "name": {"nl": nl, "en": en},
            "description": f"{en} offered by synthetic organisation {index}.",
            "themes": [{"value": rng.choice(themes), "basis": "inferred",
                        "reason": "synthetic classification", "sources": src()}],
            "sources": src()})
    return {
        "key": key,
        "name": f"Organisatie {index:06d} (synthetisch)",
        "sources": src(),
        "legal_name": sourced(f"Organisatie {index:06d} vzw"),
        "legal_form": sourced("vzw"),
        "enterprise_number": sourced(enterprise_number(rng)),
        "initiative_types": [sourced(rng.choice(types))],
        "description": sourced(f"Synthetic social-economy organisation number {index}."),
        "website": sourced(f"https://bench.example.org/org/{key}"),
        "founded": {"value": rng.randrange(1960, 2020), "sources": src()},
        "target_groups": [sourced(rng.choice(groups))],
        "themes": [{"value": rng.choice(themes), "basis": "inferred",
                    "reason": "synthetic classification", "sources": src()}],
        "active_in": [sourced(home[0]), sourced(other[0])],
        "primary_site": "site-0",
        "sites": sites,
        "services": services,
        "figures": [
            {"key": "employees", "label": {"nl": "Werknemers", "en": "Employees"},
             "value_text": str(n := rng.randrange(5, 500)), "value": n,
             "date": f"{rng.randrange(2015, 2025)}-{rng.randrange(1, 13):02d}",
             "sources": src()},
            {"key": "trajectories", "label": {"nl": "Trajecten", "en": "Trajectories"},
             "value_text": f"about {(m := rng.randrange(1, 80))}", "value": m,
             "approximate": True, "date": str(rng.randrange(2015, 2025)), "sources": src()},
        ],
    }


def generate(count: int, out: Path, *, seed: int = 1) -> Path:
    """Write the real reference data plus ``count`` synthetic organisations into ``out``."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "data", out)
    rng = random.Random(seed)
    themes = keys_of(out / "schemes" / "themes.yaml")
    groups = keys_of(out / "schemes" / "target-groups.yaml")
    types = keys_of(out / "schemes" / "initiative-types.yaml")
    places = municipalities(out)
    actors = out / "actors"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for index in range(count):
        record = organisation(index, rng, themes, groups, types, places)
        path = actors / f"{record['key']}.yaml"
        path.write_text(yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of synthetic organisations")
    parser.add_argument("out", type=Path, help="data folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.count, args.out, seed=args.seed)
    print(f"wrote {args.count} synthetic organisations to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
