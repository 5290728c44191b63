#!/usr/bin/env python3
"""Write the single-file build: dist/jixiao.c and dist/jixiao.h.

    scripts/amalgamate.py [OUTDIR]

dist/jixiao.c is every lib/*/*.c with the internal headers inlined once, in
one translation unit, with every internal function made static: only the
jx_ API is external. It is generated from lib/, never edited by hand.

Internal functions are recognised by their jxi_ prefix on a declaration or
definition that starts a line. A static name defined in two files, or a
macro defined in a .c file, would collide in one translation unit: the
first is an error here, the second is #undef'd after its file.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIB = os.path.join(ROOT, "lib")
HEADER = os.path.join(ROOT, "include", "jixiao.h")

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
# A declaration or definition of an internal function at the start of a line.
INTERNAL = re.compile(
    r"^(?!static\b|typedef\b|extern\b|JX_API\b|#|return\b)"
    r"(?:const\s+)?(?:struct\s+)?[A-Za-z_][A-Za-z0-9_]*[\s\*]+(jxi_[A-Za-z0-9_]+)\s*\(")
STATIC_DEF = re.compile(
    r"^static\s+(?:inline\s+)?(?:const\s+)?(?:struct\s+|enum\s+)?[A-Za-z_][A-Za-z0-9_]*"
    r"[\s\*]+(?:const\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(\(|\[|=)")
DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)")
GUARD = re.compile(r"^\s*#\s*(ifndef|define)\s+JIXIAO_[A-Z_]*_H\b")


def version():
    parts = {}
    with open(HEADER, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"#define JX_VERSION_(MAJOR|MINOR|PATCH) (\d+)", line)
            if m:
                parts[m.group(1)] = m.group(2)
    return "%s.%s.%s" % (parts["MAJOR"], parts["MINOR"], parts["PATCH"])


class Amalgamation:
    def __init__(self):
        self.out = []
        self.included = set()
        self.statics = {}  # name -> file that defines it

    def staticize(self, line):
        if INTERNAL.match(line):
            return "JXI_STATIC " + line
        return line

    def header(self, name, where):
        """Inline lib/NAME once, after the headers it includes."""
        if name == "jixiao.h":
            return  # included once at the top
        path = os.path.join(LIB, name)
        if not os.path.exists(path):
            sys.exit("%s: #include \"%s\" is not in lib/" % (where, name))
        if name in self.included:
            return
        self.included.add(name)
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
        for line in lines:
            m = INCLUDE.match(line)
            if m:
                self.header(m.group(1), os.path.relpath(path, ROOT))
        self.out.append("/* ---- lib/%s ---- */\n" % name)
        body = [line for line in lines if not INCLUDE.match(line) and not GUARD.match(line)]
        # The include guard's #endif is the header's last #endif.
        for i in range(len(body) - 1, -1, -1):
            if re.match(r"^\s*#\s*endif\b", body[i]):
                del body[i]
                break
        else:
            sys.exit("lib/%s: no closing #endif for its include guard" % name)
        self.out.extend(self.staticize(line) for line in body)

    def headers_of(self, path):
        """Inline, at the top level, every header a source file includes:
        never inside the file's own #if blocks, where a later file could not
        see it."""
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = INCLUDE.match(line)
                if m:
                    self.header(m.group(1), os.path.relpath(path, ROOT))

    def copy(self, path):
        rel = os.path.relpath(path, ROOT)
        macros = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                if INCLUDE.match(line):
                    continue  # hoisted by headers_of
                d = DEFINE.match(line)
                if d:
                    macros.append(d.group(1))
                s = STATIC_DEF.match(line)
                if s and not line.rstrip().endswith(";"):
                    name = s.group(1)
                    other = self.statics.get(name)
                    if other and other != rel:
                        sys.exit("%s and %s both define static %s: rename one"
                                 % (other, rel, name))
                    self.statics[name] = rel
                self.out.append(self.staticize(line))
        for name in macros:
            self.out.append("#undef %s\n" % name)

    def source(self, path):
        self.out.append("/* ---- %s ---- */\n" % os.path.relpath(path, ROOT))
        self.copy(path)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "dist")
    os.makedirs(outdir, exist_ok=True)
    ver = version()
    with open(os.path.join(ROOT, "LICENSE"), encoding="utf-8") as f:
        licence = "".join(" * " + line if line.strip() else " *\n" for line in f)

    banner = (
        "/*\n * jixiao %s, single-file build, generated by scripts/amalgamate.py\n"
        " * from lib/. Do not edit: change lib/ and regenerate (make amalgamation).\n"
        " *\n%s */\n" % (ver, licence))

    with open(HEADER, encoding="utf-8") as f:
        public = f.read()
    with open(os.path.join(outdir, "jixiao.h"), "w", encoding="utf-8") as f:
        f.write(banner)
        f.write(public)

    a = Amalgamation()
    a.out.append(banner)
    a.out.append(
        "/* Compile with -DJX_NO_EXTRACT to leave out text extraction and pcre2;\n"
        " * define JX_STATIC when the library is linked into a program (no symbol\n"
        " * visibility attributes). */\n"
        "#ifndef _POSIX_C_SOURCE\n#define _POSIX_C_SOURCE 200809L\n#endif\n"
        "/* Internal functions are static here. Some exist for the tests of the\n"
        " * separate build (reference implementations, test hooks) and are not\n"
        " * called in this one. */\n"
        "#if defined(__GNUC__)\n#define JXI_STATIC static __attribute__((unused))\n"
        "#else\n#define JXI_STATIC static\n#endif\n"
        "#include \"jixiao.h\"\n")
    sources = sorted(os.path.join(LIB, d, n) for d in os.listdir(LIB)
                     if os.path.isdir(os.path.join(LIB, d))
                     for n in os.listdir(os.path.join(LIB, d)) if n.endswith(".c"))
    for path in sources:
        a.headers_of(path)
    for path in sources:
        a.source(path)
    with open(os.path.join(outdir, "jixiao.c"), "w", encoding="utf-8") as f:
        f.write("".join(a.out))


if __name__ == "__main__":
    main()
