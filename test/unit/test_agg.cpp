// Unit tests for src/core/agg_core: Space-Saving, sample scoring, buckets, sparklines.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "agg_core.hpp"

using namespace errtrack::agg;

TEST(TopValues, ExactWhileFewDistinct)
{
	TopState s;
	top_init(s, 1);
	for (int i = 0; i < 100; i++)
		top_add(s.dims[0], i % 3 == 0 ? "a" : "b");
	std::string j = top_json(s, nullptr, 10);
	EXPECT_EQ(j, "[{\"value\": \"b\", \"count\": 66}, {\"value\": \"a\", \"count\": 34}]");
	EXPECT_TRUE(top_valid(s));
}

TEST(TopValues, HeavyHittersSurviveManyDistinctAndMerge)
{
	TopState a, b;
	top_init(a, 1);
	top_init(b, 1);
	std::map<std::string, long> exact;
	for (int i = 0; i < 5000; i++) {
		std::string v = i % 2 ? "hot" : "cold" + std::to_string(i);
		(i < 2500 ? a : b).rows++;
		top_add((i < 2500 ? a : b).dims[0], v);
		exact[v]++;
	}
	top_merge(a, b);
	ASSERT_TRUE(top_valid(a));
	bool found = false;
	for (int i = 0; i < a.dims[0].n; i++) {
		const TopCounter &c = a.dims[0].c[i];
		std::string v(c.value, c.len);
		EXPECT_LE(c.count - c.error, exact[v]);
		EXPECT_GE(c.count, exact[v]);
		if (v == "hot")
			found = true;
	}
	EXPECT_TRUE(found);
	EXPECT_EQ(a.rows, 5000);
}

TEST(TopValues, RejectsCorruptState)
{
	TopState s;
	top_init(s, 2);
	s.dims[1].n = kTopK + 1;
	EXPECT_FALSE(top_valid(s));
}

TEST(Sample, Scores)
{
	errtrack::Cancel c;
	EXPECT_EQ(sample_score("", c), 0);
	EXPECT_EQ(sample_score("Traceback (most recent call last):\n  File \"/app/x.py\", line 1, in f\n    g()\nValueError: x", c), 2);
	EXPECT_TRUE(sample_better(2, 1, 1, 1, 5, 5));
	EXPECT_TRUE(sample_better(1, 6, 1, 1, 5, 5));
	EXPECT_FALSE(sample_better(1, 5, 4, 1, 5, 5));
}

TEST(Histogram, BucketsAndSparkline)
{
	EXPECT_EQ(bucket_index(0, 0, 100, 10), 0);
	EXPECT_EQ(bucket_index(99, 0, 100, 10), 9);
	EXPECT_EQ(bucket_index(100, 0, 100, 10), -1);
	EXPECT_EQ(bucket_index(-1, 0, 100, 10), -1);
	int64_t v[] = {0, 1, 7};
	EXPECT_EQ(sparkline(v, 3), "\u2581\u2582\u2588");
	EXPECT_EQ(format_utc(0), "2000-01-01T00:00:00Z");
	EXPECT_EQ(format_utc(-1), "1999-12-31T23:59:59.999999Z");
}
