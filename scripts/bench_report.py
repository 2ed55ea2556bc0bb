#!/usr/bin/env python3
"""Turn the 'BENCH {json}' lines of a tests/guest/bench.sh run into results.json (validated
against docs/bench/results.schema.json), README.md and gnuplot PNG plots.

    bench_report.py --log LOG --meta META.json --out DIR
    bench_report.py --render DIR     (README.md and plots again from DIR/results.json)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

import jsonschema

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(TOP, "docs", "bench", "results.schema.json")
TARGET = 0.7          # the VF against net_null, in the same run
MODES = ["txonly", "rxonly", "io", "io-pair"]
KERNEL_DRIVERS = {"e1000", "e1000e", "virtio_net", "vfnic_pf"}
# Row order of the tables and plots.
# A row fed by the card's generator (source "wire") is its device's row with "/wire" appended.
ORDER = ["null", "null-pair", "vfnic", "vfnic/wire", "vfnic-pair", "vfnic-pf", "virtio", "e1000e",
         "e1000"]
NAMES = {"null": "net_null (ceiling)", "null-pair": "net_null, 2 ports (ceiling)",
         "vfnic": "vfnic VF", "vfnic/wire": "vfnic VF, wire source",
         "vfnic-pair": "vfnic, 2 VFs through the switch",
         "vfnic-pf": "vfnic PF", "virtio": "virtio-net", "e1000e": "e1000e", "e1000": "e1000"}


def parse_log(path):
    recs = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("BENCH "):
                recs.append(json.loads(line[6:]))
    return recs


def median(xs):
    return float(statistics.median(xs))


def column(x):
    """The row's place in ORDER and NAMES: its device, and its source when not the guest."""
    return x["device"] + ("/" + x["source"] if "source" in x else "")


def round_order(recs):
    """Per repetition, whether net_null's figures came before the VF's or after them, read from
    the order of the log's lines: the README then says what this run did, whichever bench.sh
    made it."""
    first = {}
    for i, r in enumerate(recs):
        if r["kind"] == "rate" and r["driver"] not in KERNEL_DRIVERS and r["device"] in ("null", "vfnic"):
            first.setdefault((r["rep"], r["device"]), i)
    reps = sorted({n for n, _ in first if (n, "null") in first and (n, "vfnic") in first})
    return ["null first" if first[(n, "null")] < first[(n, "vfnic")] else "null last" for n in reps]


def build(recs, meta):
    guest = next((r for r in recs if r["kind"] == "guest"), None)
    if guest is None:
        sys.exit("bench_report: the log has no guest record: did tests/guest/bench.sh start?")
    guest = {k: v for k, v in guest.items() if k != "kind"}
    order = round_order(recs)
    if order:
        guest["round_order"] = order
    rates = {}
    for r in (r for r in recs if r["kind"] == "rate"):
        key = (r["device"], r["driver"], r["mode"], r["size"], r.get("source"))
        rates.setdefault(key, []).append(r)
    n = sum(len(v) for v in rates.values())
    if n != guest["planned"]:
        sys.exit(f"bench_report: the run planned {guest['planned']} rates, the log has {n}")
    rows = []
    for (dev, drv, mode, size, source), reps in rates.items():
        reps.sort(key=lambda r: r["rep"])
        pps = [r["pps"] for r in reps]
        row = {"device": dev, "driver": drv,
               "stack": "kernel" if drv in KERNEL_DRIVERS else "dpdk",
               "mode": mode, "size": size, "pps": pps, "median_pps": median(pps),
               "_by_rep": {r["rep"]: r["pps"] for r in reps}}
        if source:
            row["source"] = source
        if all("offered_pps" in r for r in reps):
            row["offered_pps"] = [r["offered_pps"] for r in reps]
            row["median_offered_pps"] = median(row["offered_pps"])
        rows.append(row)

    def find(dev, stack, mode, size, source=None):
        return next((x for x in rows if x["device"] == dev and x["stack"] == stack
                     and x["mode"] == mode and x["size"] == size
                     and x.get("source") == source), None)

    def ratio(x, base):
        """The median of x's ratios to base repetition by repetition: a repetition of the DPDK
        figures is one round over every device, so each ratio compares figures measured under
        the same load."""
        if base is None:
            return None
        rs = [p / base["_by_rep"][n] for n, p in x["_by_rep"].items() if base["_by_rep"].get(n)]
        return round(median(rs), 4) if rs else None

    # The ceiling needs no generator; virtio-net has none but the guest's, so a row fed from
    # the wire has no virtio-net figure to compare with.
    for x in rows:
        ceil = find("null-pair" if x["mode"] == "io-pair" else "null", "dpdk", x["mode"], x["size"])
        virt = find("virtio", x["stack"], x["mode"], x["size"], x.get("source"))
        x["ratio_null"] = ratio(x, ceil)
        x["ratio_virtio"] = ratio(x, virt)
    for x in rows:
        del x["_by_rep"]
    rows.sort(key=lambda x: (x["stack"] != "dpdk", x["size"], MODES.index(x["mode"]),
                             ORDER.index(column(x)) if column(x) in ORDER else 99))
    targets = []
    for x in rows:
        if x["stack"] == "dpdk" and x["device"] in ("vfnic", "vfnic-pair") and x["ratio_null"] is not None:
            ceil = find("null-pair" if x["mode"] == "io-pair" else "null", "dpdk", x["mode"], x["size"])
            targets.append({"mode": x["mode"], "size": x["size"], "vfnic_pps": x["median_pps"],
                            "null_pps": ceil["median_pps"], "ratio": x["ratio_null"],
                            "target": TARGET, "met": x["ratio_null"] >= TARGET})
            if "source" in x:
                targets[-1]["source"] = x["source"]

    def timings(metric):
        out = {}
        for r in recs:
            if r["kind"] == "scale" and r["metric"] == metric:
                out.setdefault(r["vfs"], []).append(r["seconds"])
        return [{"vfs": n, "seconds": s, "median_s": median(s)} for n, s in sorted(out.items())]

    mbx = next((r for r in recs if r["kind"] == "mailbox"), None)
    if mbx is None:
        sys.exit("bench_report: the log has no mailbox record: the scaling part did not run")
    run = dict(meta)
    run["guest"] = guest
    return {"schema": "vfstack-bench/1", "run": run, "rates": rows, "targets": targets,
            "scaling": {"enable_vfs": timings("enable_vfs"), "vfctl_apply": timings("vfctl_apply"),
                        "mailbox": {k: v for k, v in mbx.items() if k != "kind"}}}


def mpps(p):
    return f"{p / 1e6:.3f}" if p >= 1e5 else f"{p / 1e6:.4f}"


def fmt_ratio(r):
    if r is None:
        return "—"
    return f"{r:.2f}" if r >= 0.1 else f"{r:.3f}"


def describe_order(order):
    """The README's words for round_order(): where net_null ran in each round."""
    def rounds(which):
        ns = [str(i + 1) for i, o in enumerate(order) if o == which]
        return ("round " if len(ns) == 1 else "rounds ") + (", ".join(ns[:-1]) + " and " if len(ns) > 1 else "") + ns[-1]
    if not order or all(o == "null first" for o in order):
        return "net_null first"
    if all(o == "null last" for o in order):
        return "net_null last"
    return (f"net_null first in {rounds('null first')} and last in {rounds('null last')} (the devices"
            " in reverse order, each with its modes in the same order), so that a drift within a"
            " round does not always favour the same side")


def render_readme(res, out):
    run, host, guest = res["run"], res["run"]["host"], res["run"]["guest"]
    L = []
    L.append("# make bench: results")
    L.append("")
    L.append("Generated by `scripts/bench_report.py` from `results.json` (schema `results.schema.json`);"
             " do not edit by hand. Rerun with `make bench`.")
    L.append("")
    if run["quick"]:
        L.append("**Quick run** (make test's smoke check): one short repetition of a subset;"
                 " the figures say that the benchmark runs, not how fast anything is.")
        L.append("")
    L.append("## Machine and load")
    L.append("")
    L.append(f"- Run started {run['started']}, {run['seconds']} s in all, commit `{run['commit']}`.")
    L.append(f"- L0: {host['cpus']} CPUs ({host['cpu']}), load average (1/5/15 min) "
             f"{' '.join(map(str, host['load_before']))} before and {' '.join(map(str, host['load_after']))} after."
             " The machine is shared by several agents: with a load above its CPU count the"
             " figures are noisy (±30 % and more between runs) and only the ratios within this"
             " one run mean much. A quiet machine gives higher and steadier rates.")
    L.append(f"- L1: {run['qemu']}, TCG (multi-threaded), {guest['vcpus']} vCPUs ({guest['cpu']}),"
             f" kernel {guest['kernel']}; DPDK {run['dpdk']} (stock dpdk-testpmd).")
    L.append(f"- {guest['reps']} repetitions of {guest['secs']} s per figure; the tables give the median"
             " and the range of the repetitions. For the DPDK figures a repetition is one round over"
             f" every device at one frame size, {describe_order(guest.get('round_order'))}: the VF is"
             " measured within two minutes of its ceiling and the other NICs within four, rather"
             " than after all of net_null's repetitions, and each ratio is the median of the"
             " round-by-round ratios.")
    L.append("")
    L.append("## Method")
    L.append("")
    L.append("One boot of the emulated host (`tests/guest/run-in-guest`) with the vfnic card and, each"
             " behind its own PCIe root port, two e1000, two e1000e and two virtio-net-pci functions"
             " (modern, `iommu_platform=on`), each pair on its own QEMU hub netdev, so every frame stays"
             " inside QEMU. Inside, `tests/guest/bench.sh`:")
    L.append("")
    L.append("- **DPDK**: stock `dpdk-testpmd`, the device measured (DUT) on one forwarding lcore on vCPU 0,"
             " one queue pair, 512 descriptors, bursts of 32; net_vfnic_vf loaded with"
             " `-d build/vf_driver/librte_net_vfnic_vf.so`; the emulated NICs bound to vfio-pci and"
             " driven by net_e1000_em and net_virtio; net_null is the ceiling (a device that costs"
             " nothing), in the same run. Every figure comes from testpmds started for it and quit"
             " after it: within one testpmd a figure depends on what ran before (after other modes,"
             " ports and sizes the mbufs a ring keeps in circulation lie on more pages, each a"
             " software TLB entry under TCG; the VF's txonly fell from 5.0 to 1.8 Mpps between the"
             " first and third repetitions of one testpmd), and a repetition must sample the same"
             " state.")
    L.append("  - *txonly*: the DUT sends to a MAC no port owns (dropped by the card's uplink or the hub).")
    L.append("  - *rxonly* and *io*: a second function of the same kind (VF 1 for VF 0, the second"
             " e1000e for the first, ...), driven by a second testpmd whose lcore is on vCPU 1, sends"
             " to the DUT's MAC as fast as it can. The DUT counts (rxonly) or sends every frame back"
             " out of the port it came in on (io, one port, chained topology). This replaces the"
             " `tx_first` loop whose 256 frames in flight made every burst small. The generator's"
             " own device cost (including the delivery into the DUT's ring, done in the sender's"
             " vCPU under TCG) bounds rxonly and io: that is the same for every kind of NIC.")
    L.append("  - *rxonly* and *io* from the wire (the vfnic VF only): the same, fed instead by the"
             " card's traffic generator (`hardware.md` 10.1, started through vfnic_pf's debugfs with"
             " the VF's MAC, no end, and stopped after each figure). It stands in for a tester on"
             " the cable, as real NICs are measured: the frames come from the device and cost the"
             " guest nothing, so the VF's own receive path is what is measured; *generator* is its"
             " count of frames offered over the same window. Only vfnic has one, so the emulated"
             " NICs keep the in-guest generator and their rows compare with the VF's in-guest rows.")
    L.append("  - *io-pair*: two VFs forwarding to each other through the card's switch (VF 2's frames"
             " leave through VF 3 and come back), primed with 64 bursts per port so that the rx rings"
             " stay full; its ceiling is net_null with two ports.")
    L.append("- **Kernel** (the non-DPDK baseline): the same NICs with their kernel drivers, `pktgen`"
             " (one kernel thread per device, `clone_skb 1000`), rates from the netdev counters;"
             " rxonly uses pktgen on the second function as the generator. The vfnic VFs have no"
             " kernel driver, so the vfnic row is the PF's own netdev (vfnic_pf), txonly only.")
    L.append("- Frame sizes count the FCS (64 B = 60 bytes given to testpmd/pktgen).")
    L.append("- Run it: `make bench` (about 30 minutes on a loaded 2-core machine, progress on"
             " stdout, one line per figure); `scripts/bench_report.py --render docs/bench` redraws"
             " this page and the plots from `results.json`.")
    L.append("")
    L.append(f"## Target: the VF at ≥ {TARGET}× net_null")
    L.append("")
    L.append("Medians of the repetitions; the ratio is the median of the VF's ratios to net_null"
             " round by round, not the ratio of the two medians.")
    L.append("")
    L.append("| mode | frame | vfnic (Mpps) | net_null (Mpps) | ratio | met |")
    L.append("|---|---|---|---|---|---|")
    for t in res["targets"]:
        mode = t["mode"] + (", wire source" if t.get("source") == "wire" else "")
        L.append(f"| {mode} | {t['size']} B | {mpps(t['vfnic_pps'])} | {mpps(t['null_pps'])} |"
                 f" {t['ratio']:.3f} | {'yes' if t['met'] else 'no'} |")
    L.append("")
    for stack, title in (("dpdk", "DPDK PMDs"), ("kernel", "Kernel drivers (pktgen)")):
        rows = [x for x in res["rates"] if x["stack"] == stack]
        if not rows:
            continue
        L.append(f"## {title}")
        L.append("")
        L.append("Median Mpps (range of the repetitions); ratios to net_null and to virtio-net"
                 + (" with its kernel driver" if stack == "kernel" else "") +
                 " in the same mode and frame size, each the median of the ratios repetition by"
                 " repetition."
                 + (" *generator* is what the feeding function (for the wire source, the card's"
                    " generator) sent in the same windows: where the device takes far less than"
                    " that, its receive path is the limit, not the generator." if stack == "dpdk"
                   else ""))
        L.append("")
        L.append("| frame | mode | device | driver | Mpps | range | generator Mpps | ÷ net_null | ÷ virtio-net |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        for x in rows:
            gen = mpps(x["median_offered_pps"]) if "median_offered_pps" in x else ""
            L.append(f"| {x['size']} B | {x['mode']} | {NAMES.get(column(x), column(x))} | {x['driver']} |"
                     f" {mpps(x['median_pps'])} | {mpps(min(x['pps']))}–{mpps(max(x['pps']))} | {gen} |"
                     f" {fmt_ratio(x['ratio_null'])} | {fmt_ratio(x['ratio_virtio'])} |")
        L.append("")
    sc = res["scaling"]
    L.append("## Scaling")
    L.append("")
    L.append("| what | VFs | median | runs |")
    L.append("|---|---|---|---|")
    for key, what in (("enable_vfs", "`echo N > sriov_numvfs` (vfnic_pf)"),
                      ("vfctl_apply", "`vfctl apply`, N VFs with MACs, from none")):
        for t in sc[key]:
            L.append(f"| {what} | {t['vfs']} | {t['median_s']:.3f} s |"
                     f" {', '.join(f'{s:.3f}' for s in t['seconds'])} |")
    m = sc["mailbox"]
    L.append("")
    L.append(f"Mailbox round trip ({m['op']} from one VF through VFIO, tests/vfclient `latency`,"
             f" {m['requests']} requests paced under the PF's rate limit): median {m['median_us']} µs,"
             f" 99th percentile {m['p99_us']} µs (min {m['min_us']}, max {m['max_us']}).")
    L.append("")
    for png, what in (("rates-64.png", "64-byte frames"), ("rates-1518.png", "1518-byte frames"),
                      ("scaling.png", "VF enable and vfctl apply times")):
        if os.path.exists(os.path.join(out, png)):
            L.append(f"![{what}]({png})")
            L.append("")
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(L))


def gnuplot(script):
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def render_plots(res, out):
    for size in sorted({x["size"] for x in res["rates"]}):
        rows = [x for x in res["rates"] if x["size"] == size and x["stack"] == "dpdk"]
        devs = [d for d in ORDER if any(column(x) == d for x in rows)]
        dat = os.path.join(out, f".rates-{size}.dat")
        with open(dat, "w", encoding="utf-8") as f:
            f.write("mode " + " ".join(f'"{NAMES.get(d, d)}"' for d in devs) + "\n")
            for mode in MODES:
                vals = []
                for d in devs:
                    x = next((x for x in rows if column(x) == d and x["mode"] == mode), None)
                    vals.append(f"{x['median_pps'] / 1e6:.4f}" if x else "NaN")
                if any(v != "NaN" for v in vals):
                    f.write(mode + " " + " ".join(vals) + "\n")
        cols = " , ".join(f"'{dat}' using {i + 2}:xtic(1) title columnheader" for i in range(len(devs)))
        gnuplot(f"""set terminal pngcairo size 900,500 noenhanced
set output '{os.path.join(out, f'rates-{size}.png')}'
set title 'DPDK testpmd, {size}-byte frames, one lcore (median Mpps, log scale)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel 'Mpps'
set key outside right top
set grid ytics
plot {cols}
""")
        os.remove(dat)
    sc = res["scaling"]
    dat = os.path.join(out, ".scaling.dat")
    with open(dat, "w", encoding="utf-8") as f:
        for t in sc["enable_vfs"]:
            f.write(f"{t['vfs']} {t['median_s']}\n")
        f.write("\n\n")
        for t in sc["vfctl_apply"]:
            f.write(f"{t['vfs']} {t['median_s']}\n")
    gnuplot(f"""set terminal pngcairo size 700,450 noenhanced
set output '{os.path.join(out, 'scaling.png')}'
set title 'vfnic: time to enable N VFs and to apply N VFs with vfctl (median)'
set xlabel 'VFs'
set ylabel 'seconds'
set key left top
set grid
plot '{dat}' index 0 using 1:2 with linespoints title 'echo N > sriov_numvfs', \\
     '{dat}' index 1 using 1:2 with points pointsize 2 title 'vfctl apply'
""")
    os.remove(dat)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--log")
    ap.add_argument("--meta")
    ap.add_argument("--out", required=False)
    ap.add_argument("--render", metavar="DIR")
    a = ap.parse_args()
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    if a.render:
        out = a.render
        with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
            res = json.load(f)
    else:
        if not (a.log and a.meta and a.out):
            ap.error("--log, --meta and --out are needed (or --render DIR)")
        out = a.out
        with open(a.meta, encoding="utf-8") as f:
            res = build(parse_log(a.log), json.load(f))
    try:
        jsonschema.validate(res, schema)
    except jsonschema.ValidationError as e:
        sys.exit(f"bench_report: results do not match {SCHEMA}: {e.message} at /"
                 + "/".join(map(str, e.absolute_path)))
    os.makedirs(out, exist_ok=True)
    if not a.render:
        with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
            json.dump(res, f, indent=1)
            f.write("\n")
    render_plots(res, out)
    render_readme(res, out)
    print(f"bench_report: {len(res['rates'])} rates, {len(res['targets'])} targets -> {out}")


if __name__ == "__main__":
    main()
