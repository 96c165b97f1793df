// test_joins.cpp — refactor joins (fingerprint.hpp: join_signature,
// signatures_join): what errtrack.refresh() uses to let a fingerprint new to a
// service join the issue whose stack is its own with one frame inserted.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "fingerprint.hpp"
#include "fixtures.hpp"

using namespace errtrack;

namespace {

JoinView
view(const JoinSignature &s)
{
	return {s.key.data(), s.key.size(), s.path.data(), s.units.data(), s.path.size()};
}

JoinView
view(const std::vector<int64_t> &key, const std::vector<int64_t> &path, const std::vector<int64_t> &units)
{
	return {key.data(), key.size(), path.data(), units.data(), path.size()};
}

// errtrack.refresh()'s assignment (IssueJoiner, as errtrack-cli issues):
// the records in order, one service.
std::vector<size_t>
assign(const std::vector<errtrack_test::RealError> &errs)
{
	Cancel cancel;
	IssueJoiner joiner;
	std::vector<size_t> out;
	for (const auto &e : errs)
		out.push_back(joiner.issue(compute_fingerprint(e.type, e.message, e.stack, cancel).digest,
		                           [&] { return join_signature(e.type, e.message, e.stack, cancel); }));
	return out;
}

std::vector<std::map<std::string, std::string>>
corpus(const std::string &runtime)
{
	return errtrack_test::read_jsonl(std::string(ERRTRACK_SOURCE_DIR) + "/test/corpus/data/" + runtime + ".jsonl");
}

}  // namespace

// The corpus' deploy 2 extracts a helper between a shared helper and its
// caller (C/C++ shop::cart_total_cents, Rust Service::cart_total): one
// fingerprint per deploy, one issue; the look-alikes (refund, another caller
// of the same helper) stay apart.  Every runtime of the corpus: each label
// one issue, each issue one label.
TEST(Joins, CorpusDeploysAreOneIssuePerBug)
{
	for (const char *rt : {"cpp", "rust", "go", "java", "python", "node", "ruby", "dotnet", "php"}) {
		auto rows = corpus(rt);
		ASSERT_GT(rows.size(), 100u) << rt;
		std::vector<errtrack_test::RealError> errs;
		std::set<std::string> fps;
		Cancel cancel;
		for (auto &o : rows) {
			errs.push_back({rt, o["error_type"], o["error_message"], o["error_stack"]});
			fps.insert(digest_to_uuid_text(compute_fingerprint(o["error_type"], o["error_message"],
			                                                   o["error_stack"], cancel).digest));
		}
		std::vector<size_t> issue = assign(errs);
		std::map<std::string, std::set<size_t>> issues_of_label;
		std::map<size_t, std::set<std::string>> labels_of_issue;
		for (size_t i = 0; i < rows.size(); i++) {
			issues_of_label[rows[i]["label"]].insert(issue[i]);
			labels_of_issue[issue[i]].insert(rows[i]["label"]);
		}
		for (auto &[label, iss] : issues_of_label)
			EXPECT_EQ(iss.size(), 1u) << rt << " " << label;
		for (auto &[i, labels] : labels_of_issue)
			EXPECT_EQ(labels.size(), 1u) << rt << " issue " << i;
		if (std::string(rt) == "cpp" || std::string(rt) == "rust") {  // (the split the joins mend)
			EXPECT_GT(fps.size(), issues_of_label.size()) << rt;
		}
	}
}

// On every real trace of the repository: the relation is symmetric, never
// holds between equal keys, and a signature is deterministic.
TEST(Joins, RelationIsSymmetricOnRealTraces)
{
	Cancel cancel;
	std::vector<JoinSignature> sigs;
	for (const auto &e : errtrack_test::real_errors()) {
		JoinSignature s = join_signature(e.type, e.message, e.stack, cancel);
		JoinSignature again = join_signature(e.type, e.message, e.stack, cancel);
		ASSERT_EQ(s.joinable, again.joinable);
		ASSERT_EQ(s.anchor, again.anchor);
		ASSERT_EQ(s.key, again.key);
		ASSERT_EQ(s.path, again.path);
		ASSERT_EQ(s.units, again.units);
		if (!s.joinable)
			continue;
		ASSERT_GE(s.key.size(), 2u);
		ASSERT_EQ(s.path.size(), s.units.size());
		ASSERT_EQ(s.path[0], s.key[0]);  // (the path starts at the throw site)
		ASSERT_LE(s.path.size(), 8u);
		sigs.push_back(std::move(s));
	}
	ASSERT_GT(sigs.size(), 1000u);
	std::map<Digest128, std::vector<size_t>> by_anchor;
	for (size_t i = 0; i < sigs.size(); i++)
		by_anchor[sigs[i].anchor].push_back(i);
	size_t pairs = 0, joined = 0;
	for (auto &[a, idx] : by_anchor)
		for (size_t x : idx)
			for (size_t y : idx) {
				if (x >= y || pairs > 200000)
					continue;
				pairs++;
				bool j = signatures_join(view(sigs[x]), view(sigs[y]));
				ASSERT_EQ(j, signatures_join(view(sigs[y]), view(sigs[x])));
				if (sigs[x].key == sigs[y].key) {
					ASSERT_FALSE(j);
				}
				joined += j;
			}
	EXPECT_GT(joined, 0u);
}

// The relation itself: one frame inserted strictly inside the key, of its
// caller's unit.
TEST(Joins, OneInsertedFrameOfTheCallersUnit)
{
	// key [1, 2, 3]; a path of the refactored stack [1, 9, 2, 3, 4] with 9 in 2's unit
	std::vector<int64_t> key{1, 2, 3}, path{1, 2, 3, 4}, units{10, 20, 20, 30};
	std::vector<int64_t> key2{1, 9, 3}, path2{1, 9, 2, 3, 4}, units2{10, 20, 20, 20, 30};
	EXPECT_TRUE(signatures_join(view(key, path, units), view(key2, path2, units2)));
	EXPECT_TRUE(signatures_join(view(key2, path2, units2), view(key, path, units)));
	// the inserted frame of another unit than its caller's: no
	std::vector<int64_t> units3{10, 40, 20, 20, 30};
	EXPECT_FALSE(signatures_join(view(key, path, units), view(key2, path2, units3)));
	// an unknown unit: no
	std::vector<int64_t> units4{10, 0, 0, 20, 30};
	EXPECT_FALSE(signatures_join(view(key, path, units), view(key2, path2, units4)));
	// two frames inserted: no
	std::vector<int64_t> key5{1, 9, 8}, path5{1, 9, 8, 2, 3}, units5{10, 20, 20, 20, 20};
	EXPECT_FALSE(signatures_join(view(key, path, units), view(key5, path5, units5)));
	// a longer stack of the same frames (the key a prefix of the other path): no
	std::vector<int64_t> key6{1, 2}, path6{1, 2}, units6{10, 20};
	std::vector<int64_t> key7{1, 2, 3}, path7{1, 2, 3}, units7{10, 20, 20};
	EXPECT_FALSE(signatures_join(view(key6, path6, units6), view(key7, path7, units7)));
	// another throw site: no
	std::vector<int64_t> key8{7, 9, 3}, path8{7, 9, 2, 3}, units8{10, 20, 20, 20};
	EXPECT_FALSE(signatures_join(view(key, path, units), view(key8, path8, units8)));
	// equal keys: nothing to join
	EXPECT_FALSE(signatures_join(view(key, path, units), view(key, path2, units2)));
	// a one-frame key never joins
	std::vector<int64_t> key9{1}, path9{1}, units9{10};
	std::vector<int64_t> key10{1, 2}, path10{1, 5, 2}, units10{10, 20, 20};
	EXPECT_FALSE(signatures_join(view(key9, path9, units9), view(key10, path10, units10)));
}

TEST(Joins, WhatCannotJoin)
{
	Cancel cancel;
	// no stack, fp1
	EXPECT_FALSE(join_signature("KeyError", "missing id 1", "", cancel).joinable);
	auto rows = corpus("rust");
	ASSERT_FALSE(rows.empty());
	auto &o = rows.front();
	EXPECT_TRUE(join_signature(o["error_type"], o["error_message"], o["error_stack"], cancel).joinable);
	EXPECT_FALSE(join_signature(o["error_type"], o["error_message"], o["error_stack"], cancel, Algorithm::Fp1).joinable);
	// raw addresses only
	EXPECT_FALSE(join_signature("SIGSEGV", "", "#0  0x00007f3a1b2c3d4e in ?? ()\n#1  0x00007f3a1b2c3f00 in ?? ()\n",
	                            cancel).joinable);
	// the anchor holds the type: another type, another anchor
	JoinSignature a = join_signature(o["error_type"], o["error_message"], o["error_stack"], cancel);
	JoinSignature b = join_signature("std::io::Error", o["error_message"], o["error_stack"], cancel);
	ASSERT_TRUE(b.joinable);
	EXPECT_NE(a.anchor, b.anchor);
	EXPECT_EQ(a.key, b.key);
	// arguments over the limit are refused like the fingerprint's
	EXPECT_THROW(join_signature(std::string(Limits::max_input_bytes + 1, 'x'), "", "", cancel), Error);
}
