"""Counting facets: one bit set (a Python ``int``) per (facet, value, basis), bit *i* being
the *i*-th organisation in label order, so a page costs a few ANDs and popcounts whatever the
number of organisations, and its list is the set bits in order.

Within a facet the chosen values are alternatives (OR), between facets they all hold (AND).
A facet's counts are those of the list narrowed by the *other* facets only, so a value stays
offered while another value of the same facet is chosen; only values with a count above zero
(or chosen) are offered. The basis facet narrows which statements the other facets match:
with "inferred" chosen, an organisation is in a municipality only if an inferred statement
says so; with no other facet chosen, it keeps the organisations with any such statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from midwest_lod.facets.dimensions import BASIS, VALUE_FACETS

#: Set bits per byte value: walking a page of the list skips whole bytes.
_BITS_IN_BYTE = tuple(bin(n).count("1") for n in range(256))


def bits_of(positions: Iterable[int], size: int) -> int:
    """The bit set with ``positions`` set (built as bytes: setting bits one by one on a big
    ``int`` copies it each time)."""
    buffer = bytearray((size + 7) // 8)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


def positions_of(bits: int, offset: int, limit: int) -> list[int]:
    """Positions of the set bits of ``bits``, skipping the first ``offset``, at most ``limit``."""
    found: list[int] = []
    if limit <= 0:
        return found
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    skip = offset
    for index, byte in enumerate(data):
        if not byte:
            continue
        count = _BITS_IN_BYTE[byte]
        if skip >= count:
            skip -= count
            continue
        for bit in range(8):
            if byte >> bit & 1:
                if skip:
                    skip -= 1
                    continue
                found.append(index * 8 + bit)
                if len(found) == limit:
                    return found
    return found


@dataclass
class FacetIndex:
    """The facets of one published version (see the module)."""

    #: Organisation IRIs in the order of their Dutch label.
    organisations: list[str]
    #: (facet, value, basis) → the organisations with a statement of that basis giving it.
    masks: dict[tuple[str, str, str], int]
    #: Labels of organisations and values: IRI → language → label.
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.everyone = (1 << len(self.organisations)) - 1
        self.values: dict[str, set[str]] = {facet.name: set() for facet in VALUE_FACETS}
        self.bases: set[str] = set()
        any_basis: dict[tuple[str, str], int] = {}
        for (facet, value, basis), bits in self.masks.items():
            self.values[facet].add(value)
            if basis:
                self.bases.add(basis)
            any_basis[facet, value] = any_basis.get((facet, value), 0) | bits
        self.any_basis = any_basis
        self.values[BASIS] = set(self.bases)

    def _match(self, facet: str, values: Iterable[str], bases: frozenset[str] | None) -> int:
        bits = 0
        for value in values:
            if bases is None:
                bits |= self.any_basis.get((facet, value), 0)
            else:
                for basis in bases:
                    bits |= self.masks.get((facet, value, basis), 0)
        return bits

    def _narrowed(self, chosen: Mapping[str, frozenset[str]], bases: frozenset[str] | None,
                  leave_out: str | None = None) -> int:
        bits = self.everyone
        narrowed = False
        for facet, values in chosen.items():
            if facet in (BASIS, leave_out) or not values:
                continue
            bits &= self._match(facet, values, bases)
            narrowed = True
        if bases is not None and not narrowed:
            with_basis = 0
            for (_, _, basis), mask in self.masks.items():
                if basis in bases:
                    with_basis |= mask
            bits &= with_basis
        return bits

    def select(self, chosen: Mapping[str, frozenset[str]]) -> Selection:
        """The list and the counts for the ``chosen`` values of each facet."""
        bases = chosen.get(BASIS) or None
        result = self._narrowed(chosen, bases)
        counts: dict[str, dict[str, int]] = {}
        for facet in VALUE_FACETS:
            others = self._narrowed(chosen, bases, leave_out=facet.name)
            counts[facet.name] = {
                value: (others & self._match(facet.name, (value,), bases)).bit_count()
                for value in self.values[facet.name]}
        counts[BASIS] = {basis: self._narrowed(chosen, frozenset({basis})).bit_count()
                         for basis in self.bases}
        return Selection(self, result, counts)

    def label(self, iri: str, language: str = "nl") -> str:
        labels = self.labels.get(iri, {})
        return labels.get(language) or labels.get("nl") or labels.get("") or next(
            iter(labels.values()), iri)


@dataclass
class Selection:
    """The organisations a choice of facet values keeps, and the counts of every value."""

    index: FacetIndex
    bits: int
    counts: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        return self.bits.bit_count()

    def page(self, offset: int, limit: int) -> list[str]:
        return [self.index.organisations[i] for i in positions_of(self.bits, offset, limit)]

    def __iter__(self) -> Iterator[str]:
        return iter(self.page(0, self.total))
