"""42 CFR Part 2 security labels (``--part2``): every resource of a result Bundle, the
Bundle too, is marked as Part 2 substance use disorder information, restricted
(HL7 v3 ActCode ``42CFRPart2``, v3 Confidentiality ``R``; the labels HL7's security
label examples name for it)."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

LABELS: tuple[Json, ...] = (
    {
        "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
        "code": "42CFRPart2",
        "display": "42 CFR Part2",
    },
    {
        "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
        "code": "R",
        "display": "restricted",
    },
)


def labelled(bundle: Json) -> Json:
    """The Bundle with the Part 2 labels on itself and on every entry's resource."""
    for resource in [bundle, *(e["resource"] for e in bundle.get("entry", ()))]:
        security = resource.setdefault("meta", {}).setdefault("security", [])
        security.extend(dict(label) for label in LABELS)
    return bundle
