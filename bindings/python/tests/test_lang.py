"""The language of load and validation messages: ``lang="zh"`` on the
loaders, and ``--lang`` or the environment (LC_ALL, LC_MESSAGES, LANG) for
jx-score, jx-lint and jx-extract; English stays the default, byte for byte."""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import tempfile
import unittest

try:
    from . import _support as S
except ImportError:  # discovered as top-level modules
    import _support as S

jixiao = S.jixiao

BAD_KEY = ('{"jixiao": 1, "id": "x", "title": "t", "total": 10,\n'
           ' "metrics": {}, "bogus": 1}')
BAD_SYNTAX = '{"jixiao": 1,\n "id": "x",,}'


def _where(e):
    return (e.code, e.code_name, e.path, e.line, e.column, e.offset, e.source)


class LoaderLanguage(unittest.TestCase):
    def both(self, load, exc):
        with self.assertRaises(exc) as en:
            load(None)
        with self.assertRaises(exc) as en2:
            load("en")
        with self.assertRaises(exc) as zh:
            load("zh")
        self.assertEqual(en.exception.message, en2.exception.message)
        self.assertEqual(_where(en.exception), _where(zh.exception))
        self.assertNotEqual(en.exception.message, zh.exception.message)
        return en.exception.message, zh.exception.message

    def test_scheme_from_string(self):
        en, zh = self.both(lambda lang: jixiao.Scheme.from_string(BAD_KEY, "s.json", lang=lang),
                           jixiao.SchemeError)
        self.assertIn('unknown key "bogus" in a scheme', en)
        self.assertIn('未知的键 "bogus"(在指标体系中)', zh)
        en, zh = self.both(lambda lang: jixiao.Scheme.from_string(BAD_SYNTAX, lang=lang),
                           jixiao.SchemeError)
        self.assertTrue(en.startswith("malformed JSON: "), en)
        self.assertTrue(zh.startswith("JSON 格式错误:"), zh)

    def test_scheme_load_file(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "bad.json")
            with open(p, "w", encoding="utf-8") as f:
                f.write(BAD_KEY)
            en, zh = self.both(lambda lang: jixiao.Scheme.load(p, lang=lang), jixiao.SchemeError)
            self.assertIn('未知的键 "bogus"', zh)
            en, zh = self.both(lambda lang: jixiao.Scheme.load(os.path.join(d, "no.json"),
                                                               lang=lang),
                               jixiao.SchemeError)
            self.assertEqual(zh, "无法打开文件:文件不存在")

    def test_inputs(self):
        s = jixiao.Scheme.load(S.EXAMPLE_SCHEME, lang="zh")
        text = '{"metrics": {"编制数": "many"}}'
        en, zh = self.both(lambda lang: s.input().load_string(text, "in.json", lang=lang),
                           jixiao.InputError)
        self.assertIn('数据项 "编制数" 应为数值,实际为 字符串', zh)
        self.assertIn('metric "编制数" takes a number, found a string', en)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "in.json")
            with open(p, "w", encoding="utf-8") as f:
                f.write('{"not_applicable": "1.1"}')
            en, zh = self.both(lambda lang: s.input().load_file(p, lang=lang), jixiao.InputError)
            self.assertIn('"not_applicable" 应为指标编号的数组', zh)
            en, zh = self.both(lambda lang: s.load_input(p, lang=lang), jixiao.InputError)
            self.assertIn('"not_applicable" 应为指标编号的数组', zh)

    def test_bad_lang(self):
        with self.assertRaises(jixiao.SchemeError):
            jixiao.Scheme.load(S.EXAMPLE_SCHEME, lang="fr")
        with self.assertRaises(jixiao.InputError):
            jixiao.Scheme.load(S.EXAMPLE_SCHEME).input().load_string("{}", lang="de")

    def test_language_is_not_part_of_the_scheme(self):
        a = jixiao.Scheme.load(S.EXAMPLE_SCHEME, lang="zh")
        b = jixiao.Scheme.load(S.EXAMPLE_SCHEME)
        self.assertEqual(a.digest, b.digest)
        c = pickle.loads(pickle.dumps(a))
        self.assertEqual(c.digest, a.digest)
        m, na = S.example_input()
        self.assertEqual(c.score(m, not_applicable=na).to_json(),
                         b.score(m, not_applicable=na).to_json())


def _run(prog, args, **env):
    e = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    e.update(env)
    return subprocess.run([prog] + list(args), capture_output=True, env=e, timeout=60)


class ProgramLanguage(unittest.TestCase):
    def setUp(self):
        self.lint = os.path.join(os.path.dirname(S.JX_SCORE), "jx-lint")
        for p in (S.JX_SCORE, S.JX_EXTRACT, self.lint):
            if not os.access(p, os.X_OK):
                raise unittest.SkipTest("%s is not built (run `make`)" % p)
        self.dir = tempfile.TemporaryDirectory()
        self.bad = os.path.join(self.dir.name, "bad.json")
        with open(self.bad, "w", encoding="utf-8") as f:
            f.write(BAD_KEY)
        self.addCleanup(self.dir.cleanup)

    def outputs(self, **env):
        return [(p.returncode, p.stdout, p.stderr) for p in (
            _run(S.JX_SCORE, [self.bad, self.bad], **env),
            _run(self.lint, [self.bad], **env),
            _run(S.JX_EXTRACT, [self.bad, self.bad], **env))]

    def test_english_by_default_whatever_the_locale(self):
        base = self.outputs(LC_ALL="C")
        self.assertIn(b'unknown key "bogus" in a scheme', base[0][2])
        self.assertIn(b"(unknown key)", base[0][2])
        self.assertIn(b": error: bogus: unknown key", base[1][1])
        self.assertIn(b"1 error, 0 warnings", base[1][1])
        self.assertIn(b'unknown key "bogus"', base[2][2])
        self.assertEqual([r[0] for r in base], [2, 1, 2])
        for env in ({}, {"LANG": "C"}, {"LANG": "en_US.UTF-8"}, {"LC_ALL": "de_DE.UTF-8"},
                    {"LC_ALL": "de_DE.UTF-8", "LANG": "zh_CN.UTF-8"},
                    {"LC_MESSAGES": "en_GB", "LANG": "zh_CN.UTF-8"},
                    {"LANG": ""},
                    {"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}):
            self.assertEqual(self.outputs(**env), base, env)
        for args in (["--lang", "en"], ["--lang=en"]):
            p = _run(S.JX_SCORE, args + [self.bad, self.bad], LANG="zh_CN.UTF-8")
            self.assertEqual((p.returncode, p.stdout, p.stderr), base[0], args)

    def test_chinese_from_the_environment_or_the_option(self):
        for env in ({"LANG": "zh_CN.UTF-8"}, {"LC_ALL": "zh_TW"},
                    {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"},
                    {"LC_ALL": "", "LANG": "zh_CN.UTF-8"}):
            out = self.outputs(**env)
            self.assertIn('未知的键 "bogus"(在指标体系中)'.encode(), out[0][2], env)
            self.assertNotIn(b"(unknown key)", out[0][2], env)
            self.assertIn(": 错误: bogus: 未知的键".encode(), out[1][1], env)
            self.assertIn("1 个错误,0 个警告".encode(), out[1][1], env)
            self.assertIn('未知的键 "bogus"'.encode(), out[2][2], env)
            self.assertEqual([r[0] for r in out], [2, 1, 2])
        for prog, args in ((S.JX_SCORE, [self.bad, self.bad]), (self.lint, [self.bad]),
                           (S.JX_EXTRACT, [self.bad, self.bad])):
            p = _run(prog, ["--lang", "zh"] + args, LC_ALL="C")
            self.assertIn('未知的键 "bogus"'.encode(), p.stdout + p.stderr, prog)
            p = _run(prog, ["--lang", "fr"] + args)
            self.assertEqual(p.returncode, 2, prog)
            self.assertIn(b"--lang must be en or zh, not 'fr'", p.stderr, prog)

    def test_input_errors_and_reasons(self):
        inp = os.path.join(self.dir.name, "in.json")
        with open(inp, "w", encoding="utf-8") as f:
            f.write('{"metrics": {"编制数": "many"}}')
        p = _run(S.JX_SCORE, [S.EXAMPLE_SCHEME, inp], LANG="zh_CN.UTF-8")
        self.assertEqual(p.returncode, 2)
        self.assertIn('数据项 "编制数" 应为数值,实际为 字符串'.encode(), p.stderr)
        # Without --lang the reasons stay in the scheme's language.
        en_scheme = os.path.join(self.dir.name, "en.json")
        doc = S.load_json(S.EXAMPLE_SCHEME)
        doc["lang"] = "en"
        with open(en_scheme, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        zh_env = _run(S.JX_SCORE, [en_scheme, S.EXAMPLE_METRICS, "--json"], LANG="zh_CN.UTF-8")
        c_env = _run(S.JX_SCORE, [en_scheme, S.EXAMPLE_METRICS, "--json"], LC_ALL="C")
        self.assertEqual(zh_env.stdout, c_env.stdout)
        forced = _run(S.JX_SCORE, [en_scheme, S.EXAMPLE_METRICS, "--json", "--lang", "zh"])
        self.assertNotEqual(forced.stdout, c_env.stdout)


if __name__ == "__main__":
    unittest.main()


class ProjectLanguage(unittest.TestCase):
    """The project-sheet reader: score_projects(lang=...) and jx-project --lang."""

    BAD = ("项目名称,全年预算数,全年执行数,一级指标,二级指标,三级指标,分值,年度指标值,实际完成值\n"
           "甲,10,10,产出指标,数量指标,a,90,≥五百人次,1人次\n")

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.bad = os.path.join(self.dir.name, "bad.csv")
        with open(self.bad, "w", encoding="utf-8") as f:
            f.write(self.BAD)

    def test_score_projects(self):
        msgs = {}
        for lang in (None, "en", "zh"):
            with self.assertRaises(jixiao.InputError) as cm:
                jixiao.score_projects(self.bad, lang=lang)
            msgs[lang] = cm.exception
        self.assertEqual(msgs[None].message, msgs["en"].message)
        self.assertIn("第 8 列(年度指标值):无法读取", msgs["zh"].message)
        self.assertNotIn("第 8 列", msgs["en"].message)
        self.assertEqual((msgs["zh"].line, msgs["zh"].column), (msgs["en"].line, msgs["en"].column))
        with self.assertRaises(jixiao.InputError):
            jixiao.score_projects(self.bad, lang="fr")

    def test_jx_project(self):
        prog = os.path.join(os.path.dirname(S.JX_SCORE), "jx-project")
        if not os.access(prog, os.X_OK):
            raise unittest.SkipTest("%s is not built (run `make`)" % prog)
        en = _run(prog, [self.bad], LC_ALL="C")
        self.assertEqual(en.returncode, 2)
        self.assertNotIn("第 8 列".encode(), en.stderr)
        for args, env in ((["--lang", "zh"], {"LC_ALL": "C"}), ([], {"LANG": "zh_CN.UTF-8"})):
            zh = _run(prog, args + [self.bad], **env)
            self.assertEqual(zh.returncode, 2)
            self.assertIn("第 8 列(年度指标值):无法读取".encode(), zh.stderr, args)
        self.assertEqual(_run(prog, ["--lang", "en", self.bad], LANG="zh_CN.UTF-8").stderr,
                         en.stderr)
