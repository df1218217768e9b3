#!/usr/bin/env python3
"""Search index benchmark: size on disk and bytes a browser fetches per query.

For each N: synthetic records (the shared kit's synth.py) -> a mieruka
content folder (the small converter below) -> `mieruka build` -> then
bench/search_bytes.js replays typical queries with the site's own
assets/search.js and counts the bytes of every file it loads.

Usage:
  bench/search_bytes.py [--ns 33,10000,100000] [--work DIR] [--bin PATH]
                        [--synth PATH/synth.py] [--json OUT.json]

  --bin    the mieruka binary (default: target/release/mieruka; build it
           with `cargo build --release`)
  --synth  synth.py of the benchmark kit (default: $BENCH_SYNTH, else
           ../shared/bench/synth.py)
  --work   scratch folder (default: $TMPDIR/mieruka-search-bench); output on
           tmpfs (/dev/shm) is faster for N = 100,000

The converter maps the kit's records to the content format (docs/format.md):
municipality (registry, by slug; a name repeated in another prefecture gets
the prefecture in brackets), themes (registry), category and scheme (inline
values), one source per fiscal year x scheme, measures cost (budget) and
subsidy; `implementer` only when it differs from the municipality.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
QUERIES = ["外国人", "介護", "若年者", "就職氷河期", "合同企業説明会", "インターンシップ", "女性 再就職", "モンゴル", "障害者", "デジタル"]


def find_synth(arg):
    for p in [arg, os.environ.get("BENCH_SYNTH"), os.path.join(ROOT, "..", "shared", "bench", "synth.py")]:
        if p and os.path.exists(p):
            return os.path.abspath(p)
    sys.exit("synth.py not found: pass --synth or set BENCH_SYNTH")


def q(s):
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def convert(records, content, synth_dir):
    sys.path.insert(0, synth_dir)
    import vocab  # the kit's vocabulary: municipalities and themes

    os.makedirs(os.path.join(content, "programmes"), exist_ok=True)
    munis, names = [], {}
    for m in vocab.municipalities():
        name = m["name"] if m["name"] not in names else f'{m["name"]}（{m["prefecture"]}）'
        names[name] = m["slug"]
        munis.append((m["slug"], name))
    muni_name = {slug: name for slug, name in munis}
    with open(os.path.join(content, "_municipalities.yaml"), "w", encoding="utf-8") as f:
        for slug, name in munis:
            f.write(f"- slug: {slug}\n  name: {q(name)}\n")
    with open(os.path.join(content, "_themes.yaml"), "w", encoding="utf-8") as f:
        for t in vocab.THEMES:
            f.write(f"- slug: {t[1]}\n  name: {q(t[0])}\n  official: true\n")
    recs = [json.loads(line) for line in open(records, encoding="utf-8")]
    sources = sorted({(r["fiscal_year"], r["scheme"]) for r in recs})
    with open(os.path.join(content, "_sources.yaml"), "w", encoding="utf-8") as f:
        for fy, sc in sources:
            f.write(f"- id: fy{fy}-{sc}\n  title: {q(f'合成データ {fy}年度 {vocab.SCHEME_JA[sc]}')}\n  publisher: 合成データ\n  fiscal_year: {fy}\n")
    with open(os.path.join(content, "_site.yaml"), "w", encoding="utf-8") as f:
        f.write(f"""title: 合成データ {len(recs)}件
description: 検索の計測用の合成データ。
language: ja
publisher: mieruka bench
item_label: 事業
dimensions:
  - key: municipality
    label: 実施区市町村
    registry: _municipalities.yaml
    path: municipalities
  - key: themes
    label: テーマ
    multiple: true
    required: false
    registry: _themes.yaml
    path: themes
  - key: category
    label: 事業分類
    path: categories
    values:
      - slug: labour
        name: 労働力確保事業
      - slug: treatment
        name: 処遇改善事業
  - key: scheme
    label: 事業区分
    path: schemes
    values:
      - slug: model
        name: モデル事業
      - slug: general
        name: 一般事業
measures:
  - key: cost
    label: 事業額
    unit: 千円
  - key: subsidy
    label: 補助金申請額
    unit: 千円
""")
    for r in recs:
        d = os.path.join(content, "programmes", str(r["fiscal_year"]))
        os.makedirs(d, exist_ok=True)
        lines = [
            f"fiscal_year: {r['fiscal_year']}",
            f"source: fy{r['fiscal_year']}-{r['scheme']}",
            f"number: {r['number']}",
            f"name: {q(r['name'])}",
            f"municipality: {r['municipality_slug']}",
            "themes: [" + ", ".join(vocab.THEME_SLUG[t] for t in r["themes"]) + "]",
            f"category: {r['category']}",
            f"scheme: {r['scheme']}",
            f"summary: {q(r['summary'])}",
            f"cost: {r['budget']}",
        ]
        if r["implementer"] != r["municipality"]:
            lines.append(f"implementer: {q(r['implementer'])}")
        if r["subsidy"] is not None:
            lines.append(f"subsidy: {r['subsidy']}")
        if r.get("start"):
            lines.append(f"start: {r['start']}")
        with open(os.path.join(d, r["id"] + ".yaml"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    return recs, muni_name


def tree_size(d):
    files = size = 0
    for dp, _, fs in os.walk(d):
        for f in fs:
            files += 1
            size += os.path.getsize(os.path.join(dp, f))
    return files, size


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ns", default="33,10000,100000")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "mieruka-search-bench"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "mieruka"))
    ap.add_argument("--synth")
    ap.add_argument("--json")
    a = ap.parse_args()
    synth = find_synth(a.synth)
    if not os.path.exists(a.bin):
        sys.exit(f"{a.bin} not found: cargo build --release")
    report = []
    for n in [int(x) for x in a.ns.split(",")]:
        w = os.path.join(a.work, f"n{n}")
        os.makedirs(w, exist_ok=True)
        rec = os.path.join(w, "records.jsonl")
        if not os.path.exists(rec):
            subprocess.run([sys.executable, synth, str(n), w], check=True, stdout=subprocess.DEVNULL)
        content = os.path.join(w, "content")
        if not os.path.exists(os.path.join(content, "_site.yaml")):
            convert(rec, content, os.path.dirname(synth))
        site = os.path.join(w, "site")
        t0 = time.time()
        # From the repository root, so that themes/default (with search.js) is used.
        subprocess.run([a.bin, "build", "--quiet", "--content", content, "--out", site], check=True, cwd=ROOT)
        build_s = time.time() - t0
        files, size = tree_size(os.path.join(site, "search"))
        out = subprocess.run(["node", os.path.join(HERE, "search_bytes.js"), site, rec] + QUERIES,
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out)
        r.update(n=n, index_files=files, index_bytes=size, build_s=round(build_s, 1))
        report.append(r)
        print_table(r)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=1)


def kb(b):
    return f"{b / 1024:,.1f}"


def print_table(r):
    print(f"\n## N = {r['n']:,}: index {r['index_bytes'] / 1048576:,.1f} MiB in {r['index_files']:,} files "
          f"(whole build {r['build_s']} s); search.js {kb(r['js_bytes'])} KiB (gzip {kb(r['js_gz'])}), meta.js {kb(r['meta_bytes'])} KiB\n")
    print("| query | results | substring truth | same set | cold KiB | cold gzip KiB | files | index KiB | docs KiB | facet counts | + on request KiB | warm KiB |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|")
    for x in r["queries"]:
        print(f"| {x['q']} | {x['count']:,} | {x['truth']:,} | {'yes' if x['same'] else 'NO'} | {kb(x['cold'])} | {kb(x['cold_gz'])} | {x['files']} | "
              f"{kb(x['index'])} | {kb(x['docs'])} | {x['counts']} | {kb(x['facets_extra'])} | {kb(x['warm'])} |")

    def med(v):
        v = sorted(v)
        return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2
    colds = [x["cold"] for x in r["queries"]]
    gzs = [x["cold_gz"] for x in r["queries"]]
    print(f"\nmedian cold {kb(med(colds))} KiB (gzip {kb(med(gzs))}), max {kb(max(colds))} KiB (gzip {kb(max(gzs))})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
