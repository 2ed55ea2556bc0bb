#!/usr/bin/env python3
"""scripts/bench_report.py's ratios: each is the median of the ratios repetition by repetition
(a repetition is one round over every device), not the ratio of two medians; and the order of
each round, as the log shows it."""
import json
import os
import sys
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "scripts"))
import bench_report  # noqa: E402

import jsonschema  # noqa: E402


def rate(dev, drv, mode, rep, pps):
    return {"kind": "rate", "device": dev, "driver": drv, "mode": mode, "size": 64, "rep": rep,
            "pps": pps}


def run(rates):
    guest = {"kind": "guest", "kernel": "k", "vcpus": 2, "cpu": "c", "reps": 3, "secs": 1,
             "planned": len(rates)}
    mbx = {"kind": "mailbox", "op": "GET_LINK", "requests": 1, "min_us": 1, "median_us": 1,
           "p99_us": 1, "max_us": 1}
    meta = {"started": "2026-01-01T00:00:00Z", "seconds": 1, "quick": True,
            "host": {"cpus": 2, "cpu": "c", "load_before": [0, 0, 0], "load_after": [0, 0, 0]},
            "qemu": "q", "dpdk": "d", "commit": "x", "args": []}
    scale = [{"kind": "scale", "metric": m, "vfs": 1, "seconds": 0.1}
             for m in ("enable_vfs", "vfctl_apply")]
    return bench_report.build([guest, *rates, mbx, *scale], meta)


def row(res, dev, mode):
    return next(x for x in res["rates"] if x["device"] == dev and x["mode"] == mode)


class Ratios(unittest.TestCase):
    def test_median_of_paired_ratios(self):
        # Round by round the VF runs at 0.5, 0.9 and 0.8 of net_null: median 0.8. The ceiling
        # drifts from 20 to 5, and the ratio of the medians (9 and 10) would say 0.9.
        res = run([rate("null", "net_null", "io", 1, 20), rate("vfnic", "net_vfnic_vf", "io", 1, 10),
                   rate("null", "net_null", "io", 2, 10), rate("vfnic", "net_vfnic_vf", "io", 2, 9),
                   rate("null", "net_null", "io", 3, 5), rate("vfnic", "net_vfnic_vf", "io", 3, 4)])
        vf = row(res, "vfnic", "io")
        self.assertAlmostEqual(vf["median_pps"] / row(res, "null", "io")["median_pps"], 0.9)
        self.assertAlmostEqual(vf["ratio_null"], 0.8)
        target = next(t for t in res["targets"] if t["mode"] == "io")
        self.assertAlmostEqual(target["ratio"], 0.8)
        self.assertTrue(target["met"])
        self.assertNotIn("_by_rep", vf)
        with open(bench_report.SCHEMA, encoding="utf-8") as f:
            jsonschema.validate(res, json.load(f))

    def test_unpaired_repetitions_are_left_out(self):
        # The VF's repetition 3 has no ceiling to compare with; repetition 2's ceiling of 0
        # makes no ratio either.
        res = run([rate("null", "net_null", "txonly", 1, 10), rate("vfnic", "net_vfnic_vf", "txonly", 1, 6),
                   rate("null", "net_null", "txonly", 2, 0), rate("vfnic", "net_vfnic_vf", "txonly", 2, 9),
                   rate("vfnic", "net_vfnic_vf", "txonly", 3, 9)])
        vf = row(res, "vfnic", "txonly")
        self.assertAlmostEqual(vf["ratio_null"], 0.6)
        self.assertFalse(next(t for t in res["targets"] if t["mode"] == "txonly")["met"])

    def test_no_ceiling_no_ratio(self):
        res = run([rate("vfnic", "net_vfnic_vf", "txonly", 1, 6)])
        self.assertIsNone(row(res, "vfnic", "txonly")["ratio_null"])
        self.assertEqual(res["targets"], [])


class RoundOrder(unittest.TestCase):
    def test_order_read_from_the_log(self):
        # Round 2 ran the devices in reverse: the README must say so, and a run that always
        # put net_null first must not claim it.
        res = run([rate("null", "net_null", "io", 1, 10), rate("vfnic", "net_vfnic_vf", "io", 1, 8),
                   rate("vfnic", "net_vfnic_vf", "io", 2, 8), rate("null", "net_null", "io", 2, 10),
                   rate("null", "net_null", "io", 3, 10), rate("vfnic", "net_vfnic_vf", "io", 3, 8)])
        self.assertEqual(res["run"]["guest"]["round_order"], ["null first", "null last", "null first"])
        with open(bench_report.SCHEMA, encoding="utf-8") as f:
            jsonschema.validate(res, json.load(f))
        self.assertIn("net_null first in rounds 1 and 3 and last in round 2",
                      bench_report.describe_order(res["run"]["guest"]["round_order"]))
        res = run([rate("null", "net_null", "io", 1, 10), rate("vfnic", "net_vfnic_vf", "io", 1, 8)])
        self.assertEqual(bench_report.describe_order(res["run"]["guest"]["round_order"]), "net_null first")


if __name__ == "__main__":
    unittest.main()
