"""Unit tests of tools/grouping_score.py (metrics and baseline rules).

Run: python3 -m unittest discover -s test/quality      (from the repository root)
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import grouping_score as gs  # noqa: E402


class BCubed(unittest.TestCase):
    def test_perfect(self):
        self.assertEqual(gs.bcubed("aabbc", [1, 1, 2, 2, 3]), (1.0, 1.0, 1.0))

    def test_all_singletons(self):
        p, r, f = gs.bcubed("aab", [1, 2, 3])
        self.assertEqual(p, 1.0)
        # recall per item: a: 1/2, a: 1/2, b: 1/1
        self.assertAlmostEqual(r, (0.5 + 0.5 + 1) / 3)
        self.assertAlmostEqual(f, 2 * p * r / (p + r))

    def test_one_cluster(self):
        p, r, _ = gs.bcubed("aab", [0, 0, 0])
        self.assertAlmostEqual(p, (2 / 3 + 2 / 3 + 1 / 3) / 3)
        self.assertEqual(r, 1.0)

    def test_textbook_example(self):
        # Amigó et al.: cluster 1 = {a, a, b}, cluster 2 = {b, b, c}
        labels = ["a", "a", "b", "b", "b", "c"]
        clusters = [1, 1, 1, 2, 2, 2]
        p, r, _ = gs.bcubed(labels, clusters)
        self.assertAlmostEqual(p, (2 / 3 * 2 + 1 / 3 + 2 / 3 * 2 + 1 / 3) / 6)
        self.assertAlmostEqual(r, (1 + 1 + 1 / 3 + 2 / 3 + 2 / 3 + 1) / 6)

    def test_cluster_ids_only_matter_by_equality(self):
        self.assertEqual(gs.bcubed("aab", ["x", "x", "y"]), gs.bcubed("aab", [("t",), ("t",), None]))

    def test_empty_and_length_mismatch(self):
        self.assertEqual(gs.bcubed([], []), (0.0, 0.0, 0.0))
        with self.assertRaises(ValueError):
            gs.bcubed("ab", [1])


class Counts(unittest.TestCase):
    def test_split_merge(self):
        # label a split over 1 and 2; cluster 2 merges a and b
        self.assertEqual(gs.split_merge("aabb", [1, 2, 2, 2]), (1, 1))

    def test_pairwise(self):
        p, r, f = gs.pairwise("aab", [1, 1, 1])
        self.assertAlmostEqual(p, 1 / 3)
        self.assertEqual(r, 1.0)
        self.assertEqual(gs.pairwise("ab", [1, 2]), (1.0, 1.0, 1.0))

    def test_lookalike(self):
        labels = ["order", "invoice", "coupon", "order"]
        key = [("NotFound", "record not found"), ("NotFound", "record not found"), ("KeyError", "x"),
               ("NotFound", "record not found")]
        self.assertEqual(gs.lookalike_merges(labels, [1, 1, 1, 2], key), 1)
        self.assertEqual(gs.lookalike_merges(labels, [2, 1, 1, 1], key), 1)  # via the 2nd order event
        self.assertEqual(gs.lookalike_merges(labels, [1, 2, 3, 1], key), 0)
        self.assertEqual(gs.lookalike_pairs_total(labels, key), 1)


class Baselines(unittest.TestCase):
    def test_datadog_tokens(self):
        self.assertEqual(gs.datadog_message_tokens("invalid amount '9.9x' (code 12) for user42 now"),
                         "invalid amount for now")
        self.assertEqual(gs.datadog_message_tokens('unknown coupon "A (b)" x'), "unknown coupon x")

    def test_loose_template(self):
        self.assertEqual(gs.loose_template("record 937047 not found"), "record not found")
        self.assertEqual(gs.loose_template("cannot register dave.742@corp.example.org"), "cannot register")

    def _parsed(self):
        def fr(fn, mod, app, line, cat=None):
            return {"function": fn, "module": mod, "file": mod + ".java", "line": line, "in_app": app,
                    "category": cat or ("app" if app else "library")}
        return {"lang": "java", "chain": [
            {"type": "W", "message": "wrapped", "role": "outer", "depth": 0,
             "frames": [fr("h", "lib.H", False, 1), fr("g", "app.G", True, 2)]},
            {"type": "Root", "message": "boom 12", "role": "cause", "depth": 1,
             "frames": [fr("x", "lib.X", False, 5), fr("f", "app.F", True, 7), fr("inv", "r.M", False, 1,
                                                                                  "plumbing")]},
        ]}

    def test_bugsnag_uses_innermost_top_app_frame_and_line(self):
        rec = {"type": "W", "message": "wrapped", "stack": "..."}
        self.assertEqual(gs.bugsnag_key(rec, self._parsed()), ("bugsnag", "Root", ("app.F.java", 7)))

    def test_sentry_app_frames_of_all_exceptions_message_ignored(self):
        rec = {"type": "W", "message": "wrapped 1", "stack": "..."}
        k1 = gs.sentry_key(rec, self._parsed())
        k2 = gs.sentry_key(dict(rec, message="other"), self._parsed())
        self.assertEqual(k1, k2)
        self.assertEqual(k1[1], "app")
        self.assertEqual(k1[3], ((("app.G", "g"),), (("app.F", "f"),)))
        self.assertEqual(gs.sentry_key(rec, {"chain": []})[1], "nostack")

    def test_datadog_top_frame_of_reported_exception(self):
        rec = {"type": "W", "message": "wrapped 12 'x'", "stack": "..."}
        self.assertEqual(gs.datadog_key(rec, self._parsed()), ("datadog", "W", "wrapped", ("lib.H.java", "h")))


if __name__ == "__main__":
    unittest.main()
