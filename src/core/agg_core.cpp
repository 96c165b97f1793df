// agg_core.cpp — Space-Saving top values, sample scoring, histogram buckets
// and sparklines for the aggregates in src/glue/agg_glue.cpp.
#include "agg_core.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "model.hpp"
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace agg {

void
top_init(TopState &s, int ndims)
{
	std::memset(&s, 0, sizeof s);
	s.magic = kTopMagic;
	s.ndims = ndims;
}

static int
find(const TopDim &d, std::string_view v)
{
	for (int i = 0; i < d.n; i++)
		if (size_t(d.c[i].len) == v.size() && std::memcmp(d.c[i].value, v.data(), v.size()) == 0)
			return i;
	return -1;
}

static void
set_value(TopCounter &c, std::string_view v)
{
	size_t n = std::min(v.size(), size_t(kTopValueBytes));
	if (n)
		std::memcpy(c.value, v.data(), n);
	c.len = int32_t(n);
}

void
top_add(TopDim &d, std::string_view v)
{
	if (v.size() > size_t(kTopValueBytes))
		v = v.substr(0, kTopValueBytes);
	d.seen++;
	int i = find(d, v);
	if (i >= 0) {
		d.c[i].count++;
		return;
	}
	if (d.n < kTopK) {
		TopCounter &c = d.c[d.n++];
		c.count = 1;
		c.error = 0;
		set_value(c, v);
		return;
	}
	// Evict the minimum: the newcomer inherits its count as error.
	int m = 0;
	for (int j = 1; j < d.n; j++)
		if (d.c[j].count < d.c[m].count)
			m = j;
	TopCounter &c = d.c[m];
	c.error = c.count;
	c.count += 1;
	set_value(c, v);
}

static int64_t
min_count(const TopDim &d)
{
	if (d.n < kTopK)
		return 0;  // not full: a missing value really has count 0
	int64_t m = d.c[0].count;
	for (int j = 1; j < d.n; j++)
		m = std::min(m, d.c[j].count);
	return m;
}

static void
merge_dim(TopDim &dst, const TopDim &src)
{
	TopCounter all[2 * kTopK];
	int n = 0;
	int64_t min_dst = min_count(dst), min_src = min_count(src);
	for (int i = 0; i < dst.n; i++) {
		TopCounter c = dst.c[i];
		std::string_view v(dst.c[i].value, size_t(dst.c[i].len));
		int j = find(src, v);
		if (j >= 0) {
			c.count += src.c[j].count;
			c.error += src.c[j].error;
		} else {
			c.count += min_src;
			c.error += min_src;
		}
		all[n++] = c;
	}
	for (int j = 0; j < src.n; j++) {
		std::string_view v(src.c[j].value, size_t(src.c[j].len));
		if (find(dst, v) >= 0)
			continue;
		TopCounter c = src.c[j];
		c.count += min_dst;
		c.error += min_dst;
		all[n++] = c;
	}
	std::stable_sort(all, all + n, [](const TopCounter &a, const TopCounter &b) {
		if (a.count != b.count)
			return a.count > b.count;
		return std::string_view(a.value, size_t(a.len)) < std::string_view(b.value, size_t(b.len));
	});
	dst.n = std::min(n, kTopK);
	for (int i = 0; i < dst.n; i++)
		dst.c[i] = all[i];
	dst.seen += src.seen;
}

void
top_merge(TopState &dst, const TopState &src)
{
	if (dst.ndims != src.ndims)
		throw Error(ErrorClass::InvalidData, "top-values states with different dimensions");
	for (int d = 0; d < dst.ndims; d++)
		merge_dim(dst.dims[d], src.dims[d]);
	dst.rows += src.rows;
}

bool
top_valid(const TopState &s)
{
	if (s.magic != kTopMagic || s.ndims < 1 || s.ndims > kTopMaxDims || s.rows < 0)
		return false;
	for (int d = 0; d < s.ndims; d++) {
		const TopDim &dim = s.dims[d];
		if (dim.n < 0 || dim.n > kTopK || dim.seen < 0)
			return false;
		for (int i = 0; i < dim.n; i++)
			if (dim.c[i].len < 0 || dim.c[i].len > kTopValueBytes || dim.c[i].count < 0 ||
			    dim.c[i].error < 0 || dim.c[i].error > dim.c[i].count)
				return false;
	}
	return true;
}

void
json_string(std::string &out, std::string_view s)
{
	static const char hex[] = "0123456789abcdef";
	out += '"';
	for (unsigned char ch : s) {
		switch (ch) {
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		default:
			if (ch < 0x20) {
				out += "\\u00";
				out += hex[ch >> 4];
				out += hex[ch & 15];
			} else {
				out += char(ch);
			}
		}
	}
	out += '"';
}

static void
dim_json(std::string &out, const TopDim &d, int limit)
{
	int idx[kTopK];
	for (int i = 0; i < d.n; i++)
		idx[i] = i;
	std::sort(idx, idx + d.n, [&](int a, int b) {
		if (d.c[a].count != d.c[b].count)
			return d.c[a].count > d.c[b].count;
		return std::string_view(d.c[a].value, size_t(d.c[a].len)) <
		       std::string_view(d.c[b].value, size_t(d.c[b].len));
	});
	out += '[';
	int k = std::min(d.n, limit);
	for (int i = 0; i < k; i++) {
		const TopCounter &c = d.c[idx[i]];
		if (i)
			out += ", ";
		out += "{\"value\": ";
		json_string(out, std::string_view(c.value, size_t(c.len)));
		out += ", \"count\": " + std::to_string(c.count);
		if (c.error)
			out += ", \"error\": " + std::to_string(c.error);
		out += '}';
	}
	out += ']';
}

std::string
top_json(const TopState &s, const char *const *names, int limit)
{
	std::string out;
	if (!names) {
		dim_json(out, s.dims[0], limit);
		return out;
	}
	out += '{';
	for (int d = 0; d < s.ndims; d++) {
		if (d)
			out += ", ";
		json_string(out, names[d]);
		out += ": ";
		dim_json(out, s.dims[d], limit);
	}
	out += '}';
	return out;
}

int
sample_score(std::string_view stack, const Cancel &cancel)
{
	if (stack.find_first_not_of(" \t\r\n") == std::string_view::npos)
		return 0;
	ParsedStack ps = parse_stack(stack, Lang::Unknown, cancel);
	if (ps.chain.empty() || ps.input_truncated || ps.lang == Lang::Generic)
		return 1;
	if (ps.chain[0].frames.empty() || ps.chain[0].frames_truncated)
		return 1;
	for (const auto &e : ps.chain)
		for (const auto &f : e.frames)
			if (f.in_app())
				return 2;
	return 1;
}

int
bucket_index(int64_t t, int64_t lo, int64_t hi, int n)
{
	if (n <= 0 || hi <= lo || t < lo || t >= hi)
		return -1;
	// (t - lo) * n / (hi - lo) without overflow: use 128-bit arithmetic.
	__int128 num = (__int128)(t - lo) * n;
	int64_t i = int64_t(num / (__int128)(hi - lo));
	return i >= n ? n - 1 : int(i);
}

std::string
sparkline(const int64_t *v, size_t n)
{
	static const char *const blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
	                                     "\u2585", "\u2586", "\u2587", "\u2588"};
	int64_t mx = 0;
	for (size_t i = 0; i < n; i++)
		mx = std::max(mx, v[i]);
	std::string out;
	out.reserve(n * 3);
	for (size_t i = 0; i < n; i++) {
		int level = 0;
		if (v[i] > 0 && mx > 0) {
			// 1..7, rounding up so small non-zero values stay visible
			level = int(((__int128) v[i] * 7 + mx - 1) / mx);
			level = std::max(1, std::min(7, level));
		}
		out += blocks[level];
	}
	return out;
}

std::string
format_utc(int64_t pg_usec)
{
	// floor division into days and microseconds of the day
	const int64_t usec_per_day = 86400LL * 1000000LL;
	int64_t days = pg_usec / usec_per_day, rem = pg_usec % usec_per_day;
	if (rem < 0) {
		rem += usec_per_day;
		days -= 1;
	}
	// civil_from_days (H. Hinnant), days relative to 1970-01-01
	int64_t z = days + 10957 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y += 1;
	int64_t secs = rem / 1000000, us = rem % 1000000;
	char buf[64];
	if (us)
		std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lldZ", (long long) y,
		              (long long) m, (long long) d, (long long) (secs / 3600), (long long) (secs / 60 % 60),
		              (long long) (secs % 60), (long long) us);
	else
		std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long) y,
		              (long long) m, (long long) d, (long long) (secs / 3600), (long long) (secs / 60 % 60),
		              (long long) (secs % 60));
	return buf;
}

}  // namespace agg
}  // namespace errtrack
