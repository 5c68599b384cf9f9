#!/usr/bin/env python3
"""Regenerates data/world.tsv: one SVG path per country, for the world map.

Source: Natural Earth admin-0 countries (public domain), as TopoJSON in the
world-atlas npm package, version 2.0.2. From the repository root, with
Python 3's standard library only:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 scripts/make-world.py package > data/world.tsv

The positions of a few territories that not even the 1:50m file draws are
read from the keshvar crate that Cargo.lock pins (it must be in Cargo's
registry cache: any `cargo build` puts it there).

Steps:
1. Decode the 1:110m TopoJSON: quantized, delta-encoded arcs.
2. Project every arc with the Equal Earth projection (Šavrič, Patterson and
   Jenny, 2018), written out below, and fit it to a view box 1000 wide.
   Antarctica is left out.
3. Simplify each arc on its own (Visvalingam-Whyatt, smallest triangle
   first), so the two countries on either side of a border get the same
   line; round to tenths of a unit.
4. Join the arcs into rings, one path per country. Natural Earth draws
   N. Cyprus and Somaliland apart; they are dissolved into Cyprus and
   Somalia (ISO 3166-1 knows only those). Kosovo, which has no numeric
   code, is found by name. French Guiana, drawn as part of France, is
   split off (SPLIT), so that it is shaded for itself and not for France.
5. Numeric ids become alpha-2 codes through data/regions.tsv.
6. A country too small for the 1:110m file (Singapore, Bahrain, Malta, ...)
   or drawn smaller than a few units across gets a marker point, where the
   map draws a dot: the centre of its largest ring, from the 1:50m file when
   the 1:110m one lacks it, else keshvar's latitude and longitude.

Output: comment lines (#); one `viewBox` line; then, sorted by code,
`alpha2<TAB>marker "x y" or -<TAB>path d or -`.
"""
import heapq
import json
import math
import os
import re
import subprocess
import sys

WIDTH = 1000.0  # view box width
MARGIN = 2.0  # view box units on every side
MIN_AREA = 0.35  # Visvalingam threshold: triangles smaller than this go
MIN_RING = 0.8  # rings smaller than this (area) are dropped, but never a country's last
SMALL = 6.0  # a shape narrower and lower than this gets a marker too
SOUTH = -60.0  # points south of this are Antarctica's
DISSOLVE = {"N. Cyprus": "CY", "Somaliland": "SO", "Kosovo": "XK"}
# Overseas parts that Natural Earth draws inside another country's shape,
# split off as their own, ISO 3166-1 has them apart: (from, to, a test on a
# longitude and latitude that all of the part's points pass).
SPLIT = [("FR", "GF", lambda lon, lat: lon < -30.0)]

HERE = os.path.dirname(os.path.abspath(__file__))


# --- Equal Earth --------------------------------------------------------
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon, lat):
    """Longitude and latitude in degrees -> x, y (y grows northward)."""
    lam = math.radians(lon)
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (
        3 * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2))
    )
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


# --- TopoJSON -------------------------------------------------------------
def decode_arcs(topo):
    """Every arc as a list of (lon, lat) plus its quantized endpoints."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts, q = [], []
        for dx, dy in arc:
            x += dx
            y += dy
            q.append((x, y))
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append((pts, q[0], q[-1]))
    return arcs


def cut_antimeridian(pts):
    """Splits a line of (lon, lat) where it crosses the 180th meridian.
    Returns pieces (points, start, end): start and end are the side (+1 or
    -1) and latitude of a cut end, or None for an end of the line."""
    pieces, cur, start = [], [pts[0]], None
    for p, q in zip(pts, pts[1:]):
        if abs(q[0] - p[0]) > 180:
            side = 1 if p[0] > 0 else -1
            q_lon = q[0] + 360 * side  # q unwrapped to p's side
            t = 1.0 if q_lon == p[0] else (180 * side - p[0]) / (q_lon - p[0])
            lat = p[1] + t * (q[1] - p[1])
            cur.append((180.0 * side, lat))
            pieces.append((cur, start, (side, lat)))
            cur, start = [(-180.0 * side, lat)], (-side, lat)
        cur.append(q)
    pieces.append((cur, start, None))
    return pieces


def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    return []


def country_rings(geoms, arcs):
    """The rings of a country's geometries as lists of arc references. The
    rings of several geometries are dissolved: the arcs they share are
    dropped and the rest chained again."""
    rings = [ring for g in geoms for poly in polygons(g) for ring in poly]
    if len(geoms) == 1:
        return rings
    refs = [r for ring in rings for r in ring]
    present = set(refs)
    return chain([r for r in refs if ~r not in present], arcs)


def chain(refs, arcs):
    """Chains loose arc references into closed rings by their endpoints."""
    def ends(r):
        _, a, b = arcs[r if r >= 0 else ~r]
        return (a, b) if r >= 0 else (b, a)

    by_start = {}
    for r in refs:
        by_start.setdefault(ends(r)[0], []).append(r)
    used, rings = set(), []
    for r in refs:
        if r in used:
            continue
        ring, start = [], ends(r)[0]
        cur = r
        while True:
            used.add(cur)
            ring.append(cur)
            end = ends(cur)[1]
            if end == start:
                break
            nxt = [n for n in by_start.get(end, []) if n not in used]
            if not nxt:
                raise ValueError("open ring while dissolving")
            cur = nxt[0]
        rings.append(ring)
    return rings


# --- geometry ---------------------------------------------------------------
def area2(a, b, c):
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2


def visvalingam(pts, min_area):
    """Drops interior points whose triangle is smaller than min_area, the
    smallest first; the end points stay."""
    n = len(pts)
    if n < 3:
        return pts
    prev = list(range(-1, n - 1))
    nxt = list(range(1, n + 1))
    alive = [True] * n
    heap = [(area2(pts[i - 1], pts[i], pts[i + 1]), i) for i in range(1, n - 1)]
    heapq.heapify(heap)
    current = {i: a for a, i in heap}
    while heap:
        a, i = heapq.heappop(heap)
        if not alive[i] or current.get(i) != a:
            continue
        if a >= min_area:
            break
        alive[i] = False
        p, q = prev[i], nxt[i]
        nxt[p], prev[q] = q, p
        for j in (p, q):
            if 0 < j < n - 1:
                # A point's area never falls below that of one removed
                # before it, so the order stays smallest-first.
                na = max(area2(pts[prev[j]], pts[j], pts[nxt[j]]), a)
                current[j] = na
                heapq.heappush(heap, (na, j))
    return [p for p, ok in zip(pts, alive) if ok]


def ring_area(ring):
    s = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        s += x0 * y1 - x1 * y0
    return abs(s) / 2


def centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        f = x0 * y1 - x1 * y0
        a += f
        cx += (x0 + x1) * f
        cy += (y0 + y1) * f
    if abs(a) < 1e-9:
        n = len(ring)
        return sum(p[0] for p in ring) / n, sum(p[1] for p in ring) / n
    return cx / (3 * a), cy / (3 * a)


def fmt(tenths):
    """An integer number of tenths as the shortest SVG number."""
    whole, tenth = divmod(abs(tenths), 10)
    s = "-" if tenths < 0 else ""
    if whole or not tenth:
        s += "%d" % whole
    if tenth:
        s += ".%d" % tenth
    return s


def path_d(rings):
    """Rings of points in tenths as path data: an absolute move, relative
    lines, a close."""
    out = []
    for ring in rings:
        out.append("M%s %s" % (fmt(ring[0][0]), fmt(ring[0][1])))
        nums = []
        for (xa, ya), (xb, yb) in zip(ring, ring[1:]):
            nums += [fmt(xb - xa), fmt(yb - ya)]
        if nums:
            out.append("l" + nums[0])
            out.extend(n if n.startswith("-") else " " + n for n in nums[1:])
        out.append("z")
    return "".join(out)


# --- inputs -----------------------------------------------------------------
def load_regions():
    num_to_alpha2, codes = {}, []
    with open(os.path.join(HERE, "..", "data", "regions.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            alpha2, num = line.split("\t")[:2]
            codes.append(alpha2)
            if num != "-":
                num_to_alpha2[num] = alpha2
    return num_to_alpha2, codes


def keshvar_positions():
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        check=True, capture_output=True, text=True, cwd=os.path.join(HERE, ".."),
    ).stdout
    root = next(
        os.path.dirname(p["manifest_path"])
        for p in json.loads(out)["packages"]
        if p["name"] == "keshvar"
    )
    pos = {}
    d = os.path.join(root, "src", "countries")
    for f in os.listdir(d):
        if not re.fullmatch(r"[a-z]{2}\.rs", f):
            continue
        with open(os.path.join(d, f), encoding="utf-8") as fh:
            src = fh.read()
        lat = re.search(r"pub const LATITUDE: f64 = (-?[\d.]+);", src)
        lon = re.search(r"pub const LONGITUDE: f64 = (-?[\d.]+);", src)
        if lat and lon:
            pos[f[:2].upper()] = (float(lon.group(1)), float(lat.group(1)))
    return pos


def features(topo, num_to_alpha2):
    """alpha-2 -> the geometries that make it up."""
    out = {}
    for g in topo["objects"]["countries"]["geometries"]:
        code = num_to_alpha2.get(g.get("id")) or DISSOLVE.get(g["properties"]["name"])
        if code and code != "AQ":
            out.setdefault(code, []).append(g)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-world.py WORLD_ATLAS_PACKAGE_DIR")
    src = sys.argv[1]
    num_to_alpha2, codes = load_regions()
    with open(os.path.join(src, "countries-110m.json"), encoding="utf-8") as f:
        topo = json.load(f)
    with open(os.path.join(src, "countries-50m.json"), encoding="utf-8") as f:
        topo50 = json.load(f)
    arcs = decode_arcs(topo)
    feats = features(topo, num_to_alpha2)

    # Rings as arc references, per country.
    refs = {code: country_rings(geoms, arcs) for code, geoms in sorted(feats.items())}
    for whole, part, inside in SPLIT:
        def within(ring, inside=inside):
            return all(
                inside(lon, lat) for r in ring for lon, lat in arcs[r if r >= 0 else ~r][0]
            )
        moved = [ring for ring in refs[whole] if within(ring)]
        if not moved or part in refs:
            sys.exit("cannot split %s from %s" % (part, whole))
        refs[whole] = [ring for ring in refs[whole] if not within(ring)]
        refs[part] = moved

    # Fit: cut the arcs that are used at the antimeridian, project them,
    # find the extent.
    used = {r if r >= 0 else ~r for rings in refs.values() for ring in rings for r in ring}
    pieces = {}
    for i in used:
        pieces[i] = [
            ([equal_earth(lon, max(lat, SOUTH)) for lon, lat in pts], a, b)
            for pts, a, b in cut_antimeridian(arcs[i][0])
        ]
    xs = [p[0] for ps in pieces.values() for pts, _, _ in ps for p in pts]
    ys = [p[1] for ps in pieces.values() for pts, _, _ in ps for p in pts]
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    x_min, y_max = min(xs), max(ys)
    height = math.ceil((max(ys) - min(ys)) * scale + 2 * MARGIN)

    def to_view(x, y):
        return (x - x_min) * scale + MARGIN, (y_max - y) * scale + MARGIN

    def to_tenths(p):
        return round(p[0] * 10), round(p[1] * 10)

    simple = {
        i: [
            ([to_tenths(p) for p in visvalingam([to_view(*q) for q in pts], MIN_AREA)], a, b)
            for pts, a, b in ps
        ]
        for i, ps in pieces.items()
    }

    def meridian(side, lat_from, lat_to):
        """Points along the 180th meridian, strictly between two latitudes."""
        n = int(abs(lat_to - lat_from))
        return [
            to_tenths(to_view(*equal_earth(180.0 * side, lat_from + (lat_to - lat_from) * k / (n + 1))))
            for k in range(1, n + 1)
        ]

    def ring_points(ring):
        """A ring's points; a ring cut by the antimeridian becomes one or
        more rings closed along it."""
        lines = [[[], None, None]]  # points, start cut, end cut
        for r in ring:
            ps = simple[r] if r >= 0 else [(pts[::-1], b, a) for pts, a, b in simple[~r][::-1]]
            for k, (pts, a, b) in enumerate(ps):
                if k > 0:
                    lines.append([[], a, None])
                line = lines[-1]
                line[0].extend(pts if not line[0] else pts[1:])
                line[2] = b
        if len(lines) == 1:
            out = [lines[0][0]]
        else:
            # The ring's last line runs on into its first.
            last = lines.pop()
            lines[0][0] = last[0] + lines[0][0][1:]
            lines[0][1] = last[1]
            out, free = [], list(range(len(lines)))
            while free:
                first = free.pop(0)
                pts, cur = list(lines[first][0]), first
                while True:
                    side, lat = lines[cur][2]
                    cands = [j for j in free + [first] if lines[j][1][0] == side]
                    nxt = min(cands, key=lambda j: abs(lines[j][1][1] - lat))
                    pts += meridian(side, lat, lines[nxt][1][1])
                    if nxt == first:
                        break
                    free.remove(nxt)
                    pts += lines[nxt][0]
                    cur = nxt
                out.append(pts)
        rings = []
        for pts in out:
            dedup = [p for k, p in enumerate(pts) if k == 0 or p != pts[k - 1]]
            if len(dedup) > 1 and dedup[0] == dedup[-1]:
                dedup.pop()
            rings.append(dedup)
        return rings

    rows = {}
    for code, rings in refs.items():
        pts = [p for r in rings for p in ring_points(r)]
        pts = [p for p in pts if len(p) >= 3]
        pts.sort(key=ring_area, reverse=True)
        kept = [p for k, p in enumerate(pts) if k == 0 or ring_area(p) / 100 >= MIN_RING]
        allp = [p for ring in kept for p in ring]
        w = (max(p[0] for p in allp) - min(p[0] for p in allp)) / 10
        h = (max(p[1] for p in allp) - min(p[1] for p in allp)) / 10
        marker = None
        if w < SMALL and h < SMALL:
            cx, cy = centroid(kept[0])
            marker = (round(cx), round(cy))
        rows[code] = (marker, path_d(kept))

    # Markers for what 1:110m lacks: 1:50m, else keshvar.
    arcs50 = decode_arcs(topo50)
    feats50 = features(topo50, num_to_alpha2)
    kesh = keshvar_positions()
    for code in codes:
        if code in rows or code == "AQ":
            continue
        best = None
        for g in feats50.get(code, []):
            for poly in polygons(g):
                ring = []
                for r in poly[0]:
                    seg = arcs50[r if r >= 0 else ~r][0]
                    seg = seg if r >= 0 else seg[::-1]
                    ring.extend(seg)
                ring = [to_view(*equal_earth(lon, lat)) for lon, lat in ring]
                a = ring_area(ring)
                if best is None or a > best[0]:
                    best = (a, ring)
        if best:
            cx, cy = centroid(best[1])
        elif code in kesh:
            cx, cy = to_view(*equal_earth(*kesh[code]))
        else:
            print("no position for %s" % code, file=sys.stderr)
            continue
        rows[code] = ((round(cx * 10), round(cy * 10)), None)

    print("# World map shapes for milbrief's countries page.")
    print("# Source: Natural Earth (https://www.naturalearthdata.com/), Admin 0 -")
    print("# Countries, public domain, as TopoJSON in the world-atlas npm package")
    print("# 2.0.2: the 1:110m scale, and 1:50m for the positions of smaller")
    print("# countries; where neither has one, the latitude and longitude in the")
    print("# keshvar crate.")
    print("# Projection: Equal Earth, fitted to a view box %d wide; Antarctica left" % WIDTH)
    print("# out; arcs simplified (Visvalingam-Whyatt, triangles under %s square" % MIN_AREA)
    print("# units dropped) and rounded to tenths; N. Cyprus and Somaliland")
    print("# dissolved into Cyprus and Somalia; French Guiana split from France.")
    print("# Made by scripts/make-world.py:")
    print("#   npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz")
    print("#   python3 scripts/make-world.py package > data/world.tsv")
    print("# Columns: ISO 3166-1 alpha-2<TAB>marker point \"x y\", or - (a dot is")
    print("# drawn there: the shape is missing or only a few units across)<TAB>SVG")
    print("# path data, or -")
    print("viewBox\t0 0 %d %d" % (WIDTH, height))
    for code in sorted(rows):
        marker, d = rows[code]
        m = "%s %s" % (fmt(marker[0]), fmt(marker[1])) if marker else "-"
        print("%s\t%s\t%s" % (code, m, d or "-"))


if __name__ == "__main__":
    main()
