// agg_core.hpp — the logic behind errtrack's aggregates, on plain data.
//
// Aggregate states live in PostgreSQL's aggregate memory context and are
// freed wholesale without destructors, so every state here is a POD struct
// (or a POD header + byte buffers owned by the glue).  The core only reads
// and writes them; it never allocates a state.  Functions returning
// std::string build final results (JSON, sparklines) that the glue copies
// out before any PostgreSQL call.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "error.hpp"

namespace errtrack {
namespace agg {

// ---- Space-Saving top values (Metwally et al. 2005), one summary per dimension.
constexpr int kTopK = 16;              // counters kept per dimension
constexpr int kTopValueBytes = 96;     // longer values are clipped (by the glue, at a char boundary)
constexpr int kTopMaxDims = 5;
constexpr uint32_t kTopMagic = 0x45545431;  // "ETT1"

struct TopCounter {
	int64_t count;   // estimated count (an over-estimate by at most `error`)
	int64_t error;   // over-estimation bound inherited from the evicted counter
	int32_t len;
	char value[kTopValueBytes];
};

struct TopDim {
	int32_t n;       // counters in use
	int32_t pad;
	int64_t seen;    // non-NULL values offered to this dimension
	TopCounter c[kTopK];
};

struct TopState {
	uint32_t magic;
	int32_t ndims;
	int64_t rows;    // rows aggregated (NULL values included)
	TopDim dims[kTopMaxDims];
};

void top_init(TopState &s, int ndims);
// Offers one value (already clipped to kTopValueBytes).
void top_add(TopDim &d, std::string_view v);
// Merges `src` into `dst` (mergeable Space-Saving: a value missing from a full
// summary is assumed to have that summary's minimum count).
void top_merge(TopState &dst, const TopState &src);
// True if a state read from bytes is internally consistent.
bool top_valid(const TopState &s);
// {"name":[{"value":..,"count":..,"error":..},...],...} (or one array if names == nullptr).
std::string top_json(const TopState &s, const char *const *names, int limit);

// ---- The most relevant sample of a group.
// Score: 0 no stack; 1 a stack without in-app frames, cut, or unparseable;
// 2 a complete stack with at least one in-app frame.  Higher score wins, then
// the newer time, then the larger span id (deterministic across plans).
int sample_score(std::string_view stack, const Cancel &cancel);
inline bool
sample_better(int score_a, int64_t time_a, int64_t span_a, int score_b, int64_t time_b, int64_t span_b)
{
	if (score_a != score_b)
		return score_a > score_b;
	if (time_a != time_b)
		return time_a > time_b;
	return span_a > span_b;
}

// ---- Time histogram and sparkline.
constexpr int kHistMaxBuckets = 10000;
// Index of the bucket holding t in [lo, hi) split into n equal buckets, or -1.
int bucket_index(int64_t t, int64_t lo, int64_t hi, int n);
// One block character (U+2581..U+2588) per value, scaled to the maximum;
// 0 is "▁", any non-zero value at least "▂".
std::string sparkline(const int64_t *v, size_t n);

// JSON string literal (with quotes) for UTF-8 text.
void json_string(std::string &out, std::string_view s);

}  // namespace agg
}  // namespace errtrack

namespace errtrack {
namespace agg {
// ISO 8601 UTC text of a PostgreSQL timestamp (microseconds since 2000-01-01 UTC),
// e.g. "2024-01-01T10:00:00Z" or "2024-01-01T10:00:00.123456Z".
std::string format_utc(int64_t pg_usec);
}  // namespace agg
}  // namespace errtrack
