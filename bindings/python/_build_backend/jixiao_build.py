"""A minimal PEP 517 / PEP 660 build backend for the jixiao binding.

Standard library only, so ``pip install bindings/python`` works offline:
pip needs to fetch nothing (``requires = []``). It builds

- a pure wheel (``py3-none-any``) with the ``jixiao`` package,
- an editable wheel (a ``.pth`` file pointing at this directory),
- an sdist.

Metadata comes from ``[project]`` in pyproject.toml.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile
from typing import Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "jixiao"


def _project() -> Dict[str, object]:
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        data = f.read()
    try:
        import tomllib  # Python 3.11+
        return tomllib.loads(data.decode("utf-8"))["project"]
    except ImportError:  # pragma: no cover - older Pythons: the simple keys only
        text = data.decode("utf-8")
        section = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
        out: Dict[str, object] = {}
        for key, value in re.findall(r'^([A-Za-z-]+)\s*=\s*"([^"]*)"\s*$',
                                     section.group(1) if section else "", re.M):
            out[key] = value
        return out


def _metadata() -> str:
    p = _project()
    lines = [
        "Metadata-Version: 2.1",
        "Name: %s" % p["name"],
        "Version: %s" % p["version"],
    ]
    if p.get("description"):
        lines.append("Summary: %s" % p["description"])
    if p.get("requires-python"):
        lines.append("Requires-Python: %s" % p["requires-python"])
    lic = p.get("license")
    if isinstance(lic, dict) and lic.get("text"):
        lines.append("License: %s" % lic["text"])
    for c in p.get("classifiers", []) or []:  # type: ignore[union-attr]
        lines.append("Classifier: %s" % c)
    kw = p.get("keywords")
    if kw:
        lines.append("Keywords: %s" % ",".join(kw))  # type: ignore[arg-type]
    body = ""
    readme = os.path.join(ROOT, "README.md")
    if os.path.exists(readme):
        lines.append("Description-Content-Type: text/markdown")
        with open(readme, encoding="utf-8") as f:
            body = f.read()
    return "\n".join(lines) + "\n\n" + body


def _name_version() -> Tuple[str, str]:
    p = _project()
    return str(p["name"]), str(p["version"])


def _package_files() -> List[Tuple[str, str]]:
    """(path in the archive, path on disk) for every file of the package."""
    out = []
    pkg = os.path.join(ROOT, PACKAGE)
    for dirpath, dirnames, filenames in os.walk(pkg):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for fn in sorted(filenames):
            if fn.endswith((".pyc", ".pyo")):
                continue
            full = os.path.join(dirpath, fn)
            out.append((os.path.relpath(full, ROOT).replace(os.sep, "/"), full))
    return out


def _record_line(arcname: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (arcname, digest, len(data))


def _write_wheel(directory: str, files: List[Tuple[str, bytes]]) -> str:
    name, version = _name_version()
    dist_info = "%s-%s.dist-info" % (name, version)
    wheel_name = "%s-%s-py3-none-any.whl" % (name, version)
    files = list(files) + [
        (dist_info + "/METADATA", _metadata().encode("utf-8")),
        (dist_info + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: jixiao_build\n"
                                "Root-Is-Purelib: true\nTag: py3-none-any\n").encode()),
        (dist_info + "/top_level.txt", (PACKAGE + "\n").encode()),
    ]
    record = [_record_line(a, d) for a, d in files] + [dist_info + "/RECORD,,"]
    files.append((dist_info + "/RECORD", ("\n".join(record) + "\n").encode()))
    path = os.path.join(directory, wheel_name)
    stamp = (2024, 1, 1, 0, 0, 0)  # reproducible archives
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, data in files:
            info = zipfile.ZipInfo(arcname, stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return wheel_name


# ---- PEP 517 ----------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings: Optional[dict] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[dict] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[dict] = None) -> List[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Optional[dict] = None,
                metadata_directory: Optional[str] = None) -> str:
    files = []
    for arcname, full in _package_files():
        with open(full, "rb") as f:
            files.append((arcname, f.read()))
    return _write_wheel(wheel_directory, files)


def build_editable(wheel_directory: str, config_settings: Optional[dict] = None,
                   metadata_directory: Optional[str] = None) -> str:
    pth = os.fsencode(ROOT) + b"\n"
    return _write_wheel(wheel_directory, [("__editable__.jixiao.pth", pth)])


def build_sdist(sdist_directory: str, config_settings: Optional[dict] = None) -> str:
    name, version = _name_version()
    base = "%s-%s" % (name, version)
    path = os.path.join(sdist_directory, base + ".tar.gz")
    members = [("pyproject.toml", os.path.join(ROOT, "pyproject.toml")),
               ("README.md", os.path.join(ROOT, "README.md")),
               ("_build_backend/jixiao_build.py", os.path.abspath(__file__))]
    members += _package_files()
    tests = os.path.join(ROOT, "tests")
    for fn in sorted(os.listdir(tests)) if os.path.isdir(tests) else []:
        if fn.endswith(".py"):
            members.append(("tests/" + fn, os.path.join(tests, fn)))
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as t:
        pkg_info = _metadata().encode("utf-8")
        info = tarfile.TarInfo(base + "/PKG-INFO")
        info.size, info.mtime, info.mode = len(pkg_info), int(time.time()), 0o644
        t.addfile(info, io.BytesIO(pkg_info))
        for arcname, full in members:
            if os.path.exists(full):
                t.add(full, arcname=base + "/" + arcname, recursive=False)
    return base + ".tar.gz"
