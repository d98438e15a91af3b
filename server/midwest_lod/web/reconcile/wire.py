"""The JSON of the Reconciliation Service API, version 0.2 and 1.0-draft: queries read (with
an error that says what is wrong and where), results written.

0.2 (what OpenRefine speaks): a batch is an object of queries by id, ``{"q0": {"query": …,
"type": …, "type_strict": …, "limit": …, "properties": [{"pid": …, "v": …}]}}``; results are
``{"q0": {"result": [candidate, …]}}``. 1.0-draft: ``{"queries": [{"type": …, "limit": …,
"conditions": [{"matchType": "name"|"property", "propertyId": …, "propertyValue": …,
"required": …}]}]}`` and ``{"results": [{"candidates": […]}]}``; features carry a name.
"""

from __future__ import annotations

import json
from typing import Any

from midwest_lod.errors import BadRequest, PayloadTooLarge
from midwest_lod.web.reconcile.entities import Value
from midwest_lod.web.reconcile.scoring import Asked, Scored, enterprise_digits
from midwest_lod.web.reconcile.service import MAX_LIMIT, PROPERTY_BY_ID, Reconciler

#: Queries in one batch, at most (the manifests' ``batchSize``).
BATCH_SIZE = 50
DEFAULT_LIMIT = 5
#: Longest name a query may give (characters); names are far shorter.
MAX_NAME_LENGTH = 300
_QUERY_KEYS_02 = frozenset({"query", "type", "limit", "properties", "type_strict"})
_QUERY_KEYS_10 = frozenset({"type", "limit", "lang", "dir", "conditions"})
_MATCHED = sorted(p.id for p in PROPERTY_BY_ID.values() if p.matched)


def parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"{where} is not JSON: {exc.msg} at line {exc.lineno}, column "
                         f"{exc.colno}.") from None


def _limit(value: Any, where: str) -> int:
    if value is None or value == 0:  # OpenRefine leaves it out, or sends 0, for "no limit"
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 \
            or int(value) != value:
        raise BadRequest(f"{where}/limit must be a whole number, not {json.dumps(value)}.")
    return min(int(value), MAX_LIMIT)


def _texts(value: Any, where: str) -> list[str]:
    """A property value (a string, number, boolean, ``{"id", "name"}`` or a list of them) as
    the texts to compare: a reconciled value gives its name and its id."""
    values = value if isinstance(value, list) else [value]
    texts: list[str] = []
    for item in values:
        if isinstance(item, dict):
            if not isinstance(item.get("id"), str):
                raise BadRequest(f"{where}: an object value needs an 'id' string.")
            texts += [str(item[k]) for k in ("name", "id") if isinstance(item.get(k), str)]
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            texts.append(str(item).strip())
        else:
            raise BadRequest(f"{where}: {json.dumps(item)[:60]} is not a string, number or "
                             "{\"id\", \"name\"} object.")
    return [text for text in texts if text]


def _asked(name: str | None, type_id: Any, limit: int, by_property: dict[str, list[str]],
           reconciler: Reconciler, where: str, *, strict: bool = False,
           required: frozenset[str] = frozenset()) -> Asked:
    if type_id is not None and not isinstance(type_id, str):
        raise BadRequest(f"{where}/type must be a string.")
    if name and len(name) > MAX_NAME_LENGTH:
        raise BadRequest(f"{where}: the name is {len(name)} characters long; at most "
                         f"{MAX_NAME_LENGTH} are allowed.")
    numbers = [enterprise_digits(text) for text in by_property.get("enterpriseNumber", [])]
    return Asked(
        name=name.strip() if name and name.strip() else None,
        type=reconciler.type_iri(type_id) if type_id else None, strict_type=strict,
        municipalities=tuple(by_property.get("municipality", [])),
        postcodes=tuple(by_property.get("postcode", [])),
        enterprise_numbers=tuple(n for n in numbers if n), limit=limit, required=required)


def _property(pid: Any, where: str) -> str:
    if pid not in PROPERTY_BY_ID or not PROPERTY_BY_ID[pid].matched:
        raise BadRequest(f"{where}: unknown property {json.dumps(pid)[:60]}; this service "
                         f"matches {', '.join(_MATCHED)}.")
    return str(pid)


def _check_batch(size: int, what: str = "queries") -> None:
    if size > BATCH_SIZE:
        raise PayloadTooLarge(f"The batch has {size} {what}; at most {BATCH_SIZE} are allowed "
                              "(the manifest's batchSize).")


# --- 0.2 -------------------------------------------------------------------------------------

def read_queries_02(text: str, reconciler: Reconciler) -> dict[str, Asked]:
    """The batch of the ``queries`` field."""
    batch = parse_json(text, "The field 'queries'")
    if not isinstance(batch, dict):
        raise BadRequest("The field 'queries' must be a JSON object of queries by id, such as "
                         '{"q0": {"query": "Mariasteen"}}.')
    _check_batch(len(batch))
    found = {}
    for qid, query in batch.items():
        where = f"queries/{qid}"
        if not isinstance(query, dict):
            raise BadRequest(f"{where} must be an object.")
        unknown = sorted(set(query) - _QUERY_KEYS_02)
        if unknown:
            raise BadRequest(f"{where}: unknown field(s) {', '.join(unknown)}.")
        name = query.get("query")
        if name is not None and not isinstance(name, str):
            raise BadRequest(f"{where}/query must be a string.")
        by_property: dict[str, list[str]] = {}
        properties = query.get("properties") or []
        if not isinstance(properties, list):
            raise BadRequest(f"{where}/properties must be a list of {{pid, v}} objects.")
        for n, item in enumerate(properties):
            if not isinstance(item, dict) or "pid" not in item or "v" not in item:
                raise BadRequest(f"{where}/properties/{n} must be an object with 'pid' and 'v'.")
            pid = _property(item["pid"], f"{where}/properties/{n}")
            by_property.setdefault(pid, []).extend(_texts(item["v"], f"{where}/properties/{n}"))
        if not (name and name.strip()) and not by_property:
            raise BadRequest(f"{where} needs a 'query' or 'properties'.")
        type_id = query.get("type")
        if isinstance(type_id, list):  # several types: the first one is asked for
            type_id = type_id[0] if type_id else None
        strict = query.get("type_strict")
        if strict is not None and strict not in ("any", "should", "all"):
            raise BadRequest(f"{where}/type_strict must be any, should or all.")
        found[str(qid)] = _asked(name, type_id, _limit(query.get("limit"), where), by_property,
                                 reconciler, where, strict=strict == "all")
    return found


def candidate(scored: Scored, reconciler: Reconciler, *, named_features: bool) -> dict[str, Any]:
    entity = scored.entity
    features = [{"id": f.id, **({"name": f.name} if named_features else {}), "value": f.value}
                for f in scored.features]
    return {"id": reconciler.id_of(entity.iri), "name": entity.name,
            "description": entity.description(),
            "type": [{"id": tid, "name": name}
                     for tid, name in reconciler.types_of(entity).items()],
            "score": scored.score, "match": scored.match, "features": features}


def results_02(results: dict[str, list[Scored]], reconciler: Reconciler) -> dict[str, Any]:
    return {qid: {"result": [candidate(s, reconciler, named_features=False) for s in found]}
            for qid, found in results.items()}


def read_extension(body: Any, where: str) -> tuple[list[str], list[str]]:
    """The ids and property ids of a data extension query (the same in both versions)."""
    if not isinstance(body, dict) or not isinstance(body.get("ids"), list) \
            or not isinstance(body.get("properties"), list):
        raise BadRequest(f"{where} must be an object with 'ids' (a list of ids) and "
                         "'properties' (a list of {\"id\"} objects).")
    ids = body["ids"]
    if not all(isinstance(i, str) for i in ids):
        raise BadRequest(f"{where}/ids must be strings.")
    _check_batch(len(ids), "ids")
    pids = []
    for n, item in enumerate(body["properties"]):
        pid = item.get("id") if isinstance(item, dict) else None
        if pid not in PROPERTY_BY_ID:
            raise BadRequest(f"{where}/properties/{n}: unknown property "
                             f"{json.dumps(pid)[:60]}; this service offers "
                             f"{', '.join(PROPERTY_BY_ID)}.")
        pids.append(str(pid))
    return ids, pids


def value(found: Value, *, with_lang: bool) -> dict[str, Any]:
    """A value of data extension: numbers as numbers, everything else (labels of IRIs
    included) as a string."""
    typed = found.text if found.iri else found.typed()
    if isinstance(typed, int):
        return {"int": typed}
    if isinstance(typed, float):
        return {"float": typed}
    lang = found.lang if with_lang and found.lang else None
    return {"str": typed, **({"lang": lang} if lang else {})}


def meta(pids: list[str]) -> list[dict[str, str]]:
    return [{"id": pid, "name": PROPERTY_BY_ID[pid].name} for pid in pids]


def extension_02(rows: dict[str, dict[str, list[Value]]], pids: list[str]) -> dict[str, Any]:
    return {"meta": meta(pids), "rows": {
        entity_id: {pid: [value(v, with_lang=False) for v in values]
                    for pid, values in row.items()}
        for entity_id, row in rows.items()}}


# --- 1.0-draft ---------------------------------------------------------------------------------

def read_queries_10(body: Any, reconciler: Reconciler) -> list[Asked]:
    """The queries of a ``POST /match`` body."""
    if not isinstance(body, dict) or not isinstance(body.get("queries"), list):
        raise BadRequest('The body must be a JSON object with a "queries" list, such as '
                         '{"queries": [{"conditions": [{"matchType": "name", '
                         '"propertyValue": "Mariasteen"}]}]}.')
    _check_batch(len(body["queries"]))
    found = []
    for n, query in enumerate(body["queries"]):
        where = f"queries/{n}"
        if not isinstance(query, dict) or not isinstance(query.get("conditions"), list) \
                or not query["conditions"]:
            raise BadRequest(f"{where} must be an object with a non-empty 'conditions' list.")
        unknown = sorted(set(query) - _QUERY_KEYS_10)
        if unknown:
            raise BadRequest(f"{where}: unknown field(s) {', '.join(unknown)}.")
        names: list[str] = []
        by_property: dict[str, list[str]] = {}
        required: set[str] = set()
        for m, condition in enumerate(query["conditions"]):
            at = f"{where}/conditions/{m}"
            kind = condition.get("matchType") if isinstance(condition, dict) else None
            if kind not in ("name", "property") or "propertyValue" not in condition:
                raise BadRequest(f"{at} needs a 'propertyValue' and a 'matchType' this service "
                                 "supports: name or property.")
            if condition.get("matchQuantifier", "any") != "any":
                raise BadRequest(f"{at}: this service supports matchQuantifier 'any' only.")
            texts = _texts(condition["propertyValue"], at)
            if kind == "name":
                names += texts
                continue
            pid = _property(condition.get("propertyId"), at)
            by_property.setdefault(pid, []).extend(texts)
            if condition.get("required") is True:
                required.add(_FEATURE_OF[pid])
        if not names and not by_property:
            raise BadRequest(f"{where} needs a name or property value to match.")
        found.append(_asked(" ".join(names) or None, query.get("type"),
                            _limit(query.get("limit"), where), by_property, reconciler, where,
                            required=frozenset(required)))
    return found


_FEATURE_OF = {"municipality": "municipality", "postcode": "postcode",
               "enterpriseNumber": "enterprise_number"}


def results_10(results: list[list[Scored]], reconciler: Reconciler) -> dict[str, Any]:
    return {"results": [{"candidates": [candidate(s, reconciler, named_features=True)
                                        for s in found]} for found in results]}


def extension_10(rows: dict[str, dict[str, list[Value]]], pids: list[str]) -> dict[str, Any]:
    return {"meta": meta(pids), "rows": [
        {"id": entity_id, "properties": [
            {"id": pid, "values": [value(v, with_lang=True) for v in values]}
            for pid, values in row.items()]}
        for entity_id, row in rows.items()]}

