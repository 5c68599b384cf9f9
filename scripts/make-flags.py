#!/usr/bin/env python3
"""Regenerates data/flags.tsv: a small SVG flag for every country or area.

Usage (from the repository root; Python 3 standard library and npm):

    python3 scripts/make-flags.py > data/flags.tsv

The flags are the 3:2 SVGs of the `country-flag-icons` npm package (MIT
licence), at the version pinned below. The script runs `npm pack` for that
version in a temporary directory, refuses the tarball unless its SHA-256
is the pinned one, and prints one line per code of data/regions.tsv that
the package has a flag for: the code, a tab, and the SVG on one line. The
package's licence is copied into the file's header, as the licence asks.
"""
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "country-flag-icons"
VERSION = "1.6.20"
SHA256 = "0b003c0984b53e12a870f0b9a2ccd9821c588c505cf18d7938dabec3ae669808"

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def codes():
    """The alpha-2 codes of data/regions.tsv, in its order."""
    with open(os.path.join(ROOT, "data", "regions.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.split("\t", 1)[0]


def pack(tmp):
    """The pinned tarball, downloaded and checked."""
    out = subprocess.run(
        ["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}"],
        cwd=tmp,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    path = os.path.join(tmp, out)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{out}: SHA-256 {digest}, expected {SHA256}")
    return path


def main():
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(pack(tmp), "r:gz") as tar:
            licence = tar.extractfile("package/LICENSE").read().decode("utf-8")
            names = set(tar.getnames())
            flags = []
            missing = []
            for code in codes():
                name = f"package/3x2/{code}.svg"
                if name not in names:
                    missing.append(code)
                    continue
                svg = tar.extractfile(name).read().decode("utf-8")
                svg = " ".join(svg.split())
                if "\t" in svg or "<script" in svg.lower():
                    sys.exit(f"{name}: unexpected content")
                flags.append((code, svg))
    print("# Flags of countries and areas, 3:2, for milbrief's pages.")
    print(f"# Source: the {PACKAGE} npm package {VERSION} (MIT licence), its 3x2")
    print("# SVGs, by scripts/make-flags.py (see there to regenerate).")
    if missing:
        print(f"# No flag in the package: {' '.join(missing)}.")
    print("# Columns: ISO 3166-1 alpha-2 code, the SVG on one line.")
    print("#")
    print(f"# The licence of {PACKAGE}:")
    for line in licence.strip().splitlines():
        print(f"#   {line}".rstrip())
    for code, svg in flags:
        print(f"{code}\t{svg}")


if __name__ == "__main__":
    main()
