"""Finding and binding libjixiao with ctypes (internal).

Every C function of ``include/jixiao.h`` is declared here with its
``argtypes`` and ``restype``. Strings the library allocates for the caller
(``jx_result_to_json``, ``jx_extraction_to_json``) are declared ``c_void_p`` so
that they can be copied and then released with ``jx_free``; strings owned by a
handle or static are declared ``c_char_p`` (ctypes copies them to ``bytes``).

The library is looked for, in this order:

1. ``JIXIAO_LIBRARY``: a path to the shared library. When it is set, nothing
   else is tried: an explicit choice must not silently fall back to another
   copy of the library.
2. Next to the package: ``jixiao/`` itself (a copy placed there), then the
   ``lib/`` directory of an in-tree build (``bindings/python/jixiao/../../../lib``).
3. The system loader: ``ctypes.util.find_library("jixiao")``, then the
   SONAME (``libjixiao.so.1``) through ``dlopen``'s own search
   (``LD_LIBRARY_PATH``, the ld.so cache, ...).

If nothing loads, one ``ImportError`` lists every attempt and why it failed.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from ctypes import (POINTER, Structure, c_char, c_char_p, c_double, c_int, c_long,
                    c_size_t, c_uint, c_void_p)
from typing import Dict, FrozenSet, List, Optional, Tuple

__all__ = ["lib", "library_path", "has", "features", "JxError", "JX_NONE", "ABI_MAJOR"]

#: The ABI major this binding was written for (the SONAME's number).
ABI_MAJOR = 1
#: ``(size_t)-1``: "no such index".
JX_NONE = c_size_t(-1).value

JX_ERROR_SOURCE_LENGTH = 160
JX_ERROR_PATH_LENGTH = 160
JX_ERROR_MESSAGE_LENGTH = 320


class JxError(Structure):
    """``struct jx_error`` (fixed size, caller-owned)."""

    _fields_ = [
        ("code", c_int),
        ("line", c_int),
        ("column", c_int),
        ("offset", c_long),
        ("source", c_char * JX_ERROR_SOURCE_LENGTH),
        ("path", c_char * JX_ERROR_PATH_LENGTH),
        ("message", c_char * JX_ERROR_MESSAGE_LENGTH),
    ]


P = c_void_p  # every opaque handle: jx_scheme *, jx_input *, jx_result *, ...
PERR = POINTER(JxError)
STR = c_char_p  # a string owned by a handle, or static: copied by ctypes
OWNED = c_void_p  # a string the caller must jx_free

# name: (restype, argtypes)
_CORE: Dict[str, Tuple[object, List[object]]] = {
    "jx_version": (STR, []),
    "jx_version_number": (c_uint, []),
    "jx_strerror": (STR, [c_int]),
    "jx_free": (None, [c_void_p]),
    # schemes
    "jx_scheme_load_file": (P, [c_char_p, c_uint, PERR]),
    "jx_scheme_load_buffer": (P, [c_char_p, c_size_t, c_char_p, c_uint, PERR]),
    "jx_scheme_free": (None, [P]),
    "jx_scheme_id": (STR, [P]),
    "jx_scheme_title": (STR, [P]),
    "jx_scheme_total": (c_double, [P]),
    "jx_scheme_precision": (c_int, [P]),
    "jx_scheme_lang": (STR, [P]),
    "jx_scheme_indicator_count": (c_size_t, [P]),
    "jx_scheme_indicator_find": (c_size_t, [P, c_char_p]),
    "jx_scheme_indicator_id": (STR, [P, c_size_t]),
    "jx_scheme_indicator_name": (STR, [P, c_size_t]),
    "jx_scheme_indicator_unit": (STR, [P, c_size_t]),
    "jx_scheme_indicator_max": (c_double, [P, c_size_t]),
    "jx_scheme_indicator_parent": (c_size_t, [P, c_size_t]),
    "jx_scheme_indicator_depth": (c_int, [P, c_size_t]),
    "jx_scheme_indicator_is_leaf": (c_int, [P, c_size_t]),
    "jx_scheme_indicator_rule": (STR, [P, c_size_t]),
    "jx_scheme_metric_count": (c_size_t, [P]),
    "jx_scheme_metric_find": (c_size_t, [P, c_char_p]),
    "jx_scheme_metric_name": (STR, [P, c_size_t]),
    "jx_scheme_metric_unit": (STR, [P, c_size_t]),
    "jx_scheme_metric_type": (c_int, [P, c_size_t]),
    "jx_scheme_metric_level_count": (c_size_t, [P, c_size_t]),
    "jx_scheme_metric_level": (STR, [P, c_size_t, c_size_t]),
    "jx_scheme_grade_count": (c_size_t, [P]),
    "jx_scheme_grade_label": (STR, [P, c_size_t]),
    "jx_scheme_grade_min": (c_double, [P, c_size_t]),
    # lint
    "jx_lint_file": (P, [c_char_p, c_uint]),
    "jx_lint_buffer": (P, [c_char_p, c_size_t, c_char_p, c_uint]),
    "jx_diagnostics_count": (c_size_t, [P]),
    "jx_diagnostics_errors": (c_size_t, [P]),
    "jx_diagnostics_warnings": (c_size_t, [P]),
    "jx_diagnostics_get": (PERR, [P, c_size_t]),
    "jx_diagnostics_severity": (c_int, [P, c_size_t]),
    "jx_diagnostics_free": (None, [P]),
    # inputs
    "jx_input_new": (P, [P]),
    "jx_input_free": (None, [P]),
    "jx_input_clear": (None, [P]),
    "jx_input_set_number": (c_int, [P, c_char_p, c_double]),
    "jx_input_set_bool": (c_int, [P, c_char_p, c_int]),
    "jx_input_set_text": (c_int, [P, c_char_p, c_char_p]),
    "jx_input_unset": (c_int, [P, c_char_p]),
    "jx_input_set_not_applicable": (c_int, [P, c_char_p]),
    "jx_input_clear_not_applicable": (c_int, [P, c_char_p]),
    "jx_input_load_file": (c_int, [P, c_char_p, c_uint, PERR]),
    "jx_input_load_buffer": (c_int, [P, c_char_p, c_size_t, c_char_p, c_uint, PERR]),
    # scoring and results
    "jx_score": (P, [P, P, c_uint, PERR]),
    "jx_result_free": (None, [P]),
    "jx_result_total": (c_double, [P]),
    "jx_result_grade": (STR, [P]),
    "jx_result_grade_index": (c_size_t, [P]),
    "jx_result_complete": (c_int, [P]),
    "jx_result_scheme": (P, [P]),
    "jx_result_status": (c_int, [P, c_size_t]),
    "jx_result_score": (c_double, [P, c_size_t]),
    "jx_result_has_value": (c_int, [P, c_size_t]),
    "jx_result_value": (c_double, [P, c_size_t]),
    "jx_result_value_unit": (STR, [P, c_size_t]),
    "jx_result_value_decimals": (c_int, [P, c_size_t]),
    "jx_result_reason": (STR, [P, c_size_t]),
    "jx_status_name": (STR, [c_int]),
    "jx_result_to_json": (OWNED, [P, c_uint]),
}

# Optional groups: bound when the library exports them (the features a
# build may lack, or that a newer header adds).
_EXTRACTION: Dict[str, Tuple[object, List[object]]] = {
    "jx_scheme_has_extraction": (c_int, [P]),
    "jx_extract": (P, [P, c_char_p, c_size_t, c_uint, PERR]),
    "jx_extraction_free": (None, [P]),
    "jx_extraction_count": (c_size_t, [P]),
    "jx_extraction_metric": (STR, [P, c_size_t]),
    "jx_extraction_status": (c_int, [P, c_size_t]),
    "jx_extraction_value": (c_double, [P, c_size_t]),
    "jx_extraction_unit": (STR, [P, c_size_t]),
    "jx_extraction_message": (STR, [P, c_size_t]),
    "jx_extraction_match_count": (c_size_t, [P, c_size_t]),
    "jx_extraction_match_pattern": (c_int, [P, c_size_t, c_size_t]),
    "jx_extraction_match_offset": (c_size_t, [P, c_size_t, c_size_t]),
    "jx_extraction_match_line": (c_int, [P, c_size_t, c_size_t]),
    "jx_extraction_match_column": (c_int, [P, c_size_t, c_size_t]),
    "jx_extraction_match_text": (STR, [P, c_size_t, c_size_t]),
    "jx_extraction_match_value": (c_double, [P, c_size_t, c_size_t]),
    "jx_extraction_apply": (c_int, [P, P]),
    "jx_extraction_to_json": (OWNED, [P, c_uint]),
}

PP = POINTER(c_void_p)  # const double *const *, const unsigned char *const *
_BATCH: Dict[str, Tuple[object, List[object]]] = {
    "jx_batch_new": (P, [P]),
    "jx_batch_free": (None, [P]),
    "jx_batch_scheme": (P, [P]),
    "jx_batch_score": (c_int, [P, P, c_size_t, PP, c_size_t, PP, c_size_t,
                               c_void_p, c_void_p, c_void_p, c_void_p, c_void_p, PERR]),
    "jx_batch_score_threads": (c_int, [P, c_int, c_size_t, PP, c_size_t, PP, c_size_t,
                                       c_void_p, c_void_p, c_void_p, c_void_p, c_void_p,
                                       PERR]),
}

_FEATURES: Dict[str, Tuple[object, List[object]]] = {
    "jx_features": (c_uint, []),
}

# 1.1: jx_scheme_digest, entity ids and the setters' last error.
_AUDIT: Dict[str, Tuple[object, List[object]]] = {
    "jx_scheme_digest": (STR, [P]),
    "jx_input_set_entity": (c_int, [P, c_char_p]),
    "jx_input_entity": (STR, [P]),
    "jx_input_last_error": (P, [P]),
}

# 1.1: batches from CSV (jx_csv_*): the reader, its chunks, the writer.
CSV_READ_FN = ctypes.CFUNCTYPE(c_long, c_void_p, c_void_p, c_size_t)
_CSV: Dict[str, Tuple[object, List[object]]] = {
    "jx_csv_open_file": (P, [P, c_char_p, c_uint, PERR]),
    "jx_csv_open_fd": (P, [P, c_int, c_char_p, c_uint, PERR]),
    "jx_csv_open_callback": (P, [P, CSV_READ_FN, c_void_p, c_char_p, c_uint, PERR]),
    "jx_csv_open_buffer": (P, [P, c_char_p, c_size_t, c_char_p, c_uint, PERR]),
    "jx_csv_free": (None, [P]),
    "jx_csv_column_count": (c_size_t, [P]),
    "jx_csv_column_name": (STR, [P, c_size_t]),
    "jx_csv_metric_column": (c_size_t, [P, c_size_t]),
    "jx_csv_id_column": (c_size_t, [P]),
    "jx_csv_chunk_new": (P, [P, c_size_t]),
    "jx_csv_chunk_free": (None, [P]),
    "jx_csv_chunk_capacity": (c_size_t, [P]),
    "jx_csv_read": (c_int, [P, P, PERR]),
    "jx_csv_read_text": (c_int, [P, P, PERR]),
    "jx_csv_chunk_parse": (c_int, [P, P, PERR]),
    "jx_csv_chunk_rows": (c_size_t, [P]),
    "jx_csv_chunk_records": (c_size_t, [P]),
    "jx_csv_chunk_bytes": (c_size_t, [P]),
    "jx_csv_chunk_metrics": (c_void_p, [P]),
    "jx_csv_chunk_not_applicable": (c_void_p, [P]),
    "jx_csv_chunk_ids": (c_void_p, [P, POINTER(c_size_t)]),
    "jx_csv_chunk_bad_count": (c_size_t, [P]),
    "jx_csv_chunk_bad": (PERR, [P, c_size_t]),
}

OPTIONAL_GROUPS: Dict[str, Dict[str, Tuple[object, List[object]]]] = {
    "audit": _AUDIT,
    "extraction": _EXTRACTION,
    "batch": _BATCH,
    "features": _FEATURES,
    "csv": _CSV,
}

JX_FEATURE_EXTRACT = 0x1
JX_FEATURE_JIT = 0x2


def _candidates_next_to_package() -> List[str]:
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.platform == "darwin":
        names = ["libjixiao.1.dylib", "libjixiao.dylib"]
    elif os.name == "nt":
        names = ["jixiao.dll", "libjixiao.dll"]
    else:
        names = ["libjixiao.so.%d" % ABI_MAJOR, "libjixiao.so"]
    dirs = [here]
    # An in-tree build: <tree>/bindings/python/jixiao -> <tree>/lib
    binding = os.path.dirname(here)
    if (os.path.basename(binding) == "python"
            and os.path.basename(os.path.dirname(binding)) == "bindings"):
        dirs.append(os.path.join(os.path.dirname(os.path.dirname(binding)), "lib"))
    return [os.path.join(d, n) for d in dirs for n in names]


def _load() -> Tuple[ctypes.CDLL, str]:
    tried: List[str] = []

    def attempt(what: str, name: str) -> Optional[ctypes.CDLL]:
        try:
            return ctypes.CDLL(name)
        except OSError as e:  # the loader's reason, kept for the report
            tried.append("%s: %s: %s" % (what, name, e))
            return None

    env = os.environ.get("JIXIAO_LIBRARY")
    if env:
        dll = attempt("JIXIAO_LIBRARY", env)
        if dll is not None:
            return dll, env
        tried.append("(JIXIAO_LIBRARY is set, so no other place was tried)")
    else:
        tried.append("JIXIAO_LIBRARY: not set")
        for path in _candidates_next_to_package():
            if os.path.exists(path):
                dll = attempt("next to the package", path)
                if dll is not None:
                    return dll, path
            else:
                tried.append("next to the package: %s: no such file" % path)
        found = ctypes.util.find_library("jixiao")
        if found:
            dll = attempt("ctypes.util.find_library('jixiao')", found)
            if dll is not None:
                return dll, found
        else:
            tried.append("ctypes.util.find_library('jixiao'): not found")
        if sys.platform.startswith("linux") or (os.name == "posix" and sys.platform != "darwin"):
            soname = "libjixiao.so.%d" % ABI_MAJOR
            dll = attempt("system loader (dlopen)", soname)
            if dll is not None:
                return dll, soname
    raise ImportError(
        "jixiao: cannot load the shared library libjixiao. Tried:\n  - "
        + "\n  - ".join(tried)
        + "\nBuild it with `make` in the jixiao source tree, install it (`make install`), "
        "or set JIXIAO_LIBRARY to the path of libjixiao.so."
    )


def _bind(dll: ctypes.CDLL, path: str) -> FrozenSet[str]:
    missing = []
    for name, (restype, argtypes) in _CORE.items():
        try:
            fn = getattr(dll, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
    if missing:
        raise ImportError(
            "jixiao: %s is not a usable libjixiao: it lacks %s" % (path, ", ".join(missing))
        )
    groups = set()
    for group, table in OPTIONAL_GROUPS.items():
        for name, (restype, argtypes) in table.items():
            try:
                fn = getattr(dll, name)
            except AttributeError:
                break  # the whole group is unavailable
            fn.restype = restype
            fn.argtypes = argtypes
        else:
            groups.add(group)
    return frozenset(groups)


lib, library_path = _load()
features = _bind(lib, library_path)
lib_version_number = int(lib.jx_version_number())
if lib_version_number // 10000 != ABI_MAJOR:
    raise ImportError(
        "jixiao: %s is libjixiao %s, but this binding needs major version %d"
        % (library_path, lib.jx_version().decode("ascii", "replace"), ABI_MAJOR)
    )


# jx_features() says what the build includes; a library without it is an
# older one, where the presence of the symbols is the answer.
_feature_bits = (int(lib.jx_features()) if "features" in features
                 else JX_FEATURE_EXTRACT if "extraction" in features else 0)
if "extraction" in features and not _feature_bits & JX_FEATURE_EXTRACT:
    features = features - {"extraction"}
    #: Why extraction is unavailable, for error messages.
    extraction_missing = "it was built without text extraction (JX_EXTRACT=0)"
else:
    extraction_missing = "it lacks the extraction API (jx_extract ...)"
if "extraction" in features and _feature_bits & JX_FEATURE_JIT:
    features = features | {"jit"}


def has(feature: str) -> bool:
    """True when the loaded library has the optional ``feature``:
    ``"extraction"``, ``"jit"``, ``"batch"``, ``"features"``, ``"csv"``."""
    return feature in features
