// bench_core.cpp — throughput of the pure C++ core on real stack traces.
//
// The mix is every real trace the repository holds: the fixtures under
// test/fixtures/stacks/<runtime>/ (type and message from MANIFEST.tsv) and
// every row of test/corpus/data/*.jsonl, nine runtimes in all.  Each
// benchmark walks the whole mix once per iteration and reports
//   bytes_per_second  over type + message + stack bytes of the mix
//   ns_per_error      wall time per error
// Figures are only meaningful as ratios against BM_Xxh3_Mix (one XXH3-128
// over the same bytes: the floor for touching the text once) measured in the
// same run — tools/bench.sh computes those ratios from the median of several
// repetitions.  Benchmarks never fail.
//
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DERRTRACK_BENCH=ON -DERRTRACK_TESTS=OFF
//   cmake --build build-bench -j2 --target bench_core
//   ./build-bench/bench_core --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "../unit/fixtures.hpp"
#include "fingerprint.hpp"
#include "hash.hpp"
#include "message.hpp"
#include "stack_memo.hpp"

namespace {

struct Err {
	std::string lang, type, message, stack;
	size_t bytes() const { return type.size() + message.size() + stack.size(); }
};

struct Mix {
	std::vector<Err> all;
	std::map<std::string, std::vector<Err>> by_lang;
	size_t bytes = 0;
};

const Mix &
mix()
{
	static const Mix m = [] {
		Mix m;
		for (auto &e : errtrack_test::real_errors())
			m.all.push_back(Err{e.lang, e.type, e.message, e.stack});
		for (const Err &e : m.all) {
			m.bytes += e.bytes();
			m.by_lang[e.lang].push_back(e);
		}
		if (m.all.empty())
			std::fprintf(stderr, "bench_core: no traces found under %s/test\n", ERRTRACK_SOURCE_DIR);
		return m;
	}();
	return m;
}

void
report(benchmark::State &state, const std::vector<Err> &errs, size_t bytes)
{
	state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
	state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * errs.size()));
	state.counters["ns_per_error"] = benchmark::Counter(
		static_cast<double>(state.iterations() * errs.size()),
		benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
	state.counters["errors"] = static_cast<double>(errs.size());
	state.counters["avg_bytes"] = errs.empty() ? 0.0 : static_cast<double>(bytes) / errs.size();
}

// The floor: one XXH3-128 over each error's three texts.
void
BM_Xxh3_Mix(benchmark::State &state)
{
	const Mix &m = mix();
	for (auto _ : state)
		for (const Err &e : m.all) {
			benchmark::DoNotOptimize(errtrack::xxh3_128(e.type.data(), e.type.size()));
			benchmark::DoNotOptimize(errtrack::xxh3_128(e.message.data(), e.message.size()));
			benchmark::DoNotOptimize(errtrack::xxh3_128(e.stack.data(), e.stack.size()));
		}
	report(state, m.all, m.bytes);
}
BENCHMARK(BM_Xxh3_Mix);

// errtrack.fingerprint(type, message, stack)
void
BM_Fingerprint_Mix(benchmark::State &state)
{
	const Mix &m = mix();
	errtrack::Cancel cancel;
	for (auto _ : state)
		for (const Err &e : m.all)
			benchmark::DoNotOptimize(errtrack::compute_fingerprint(e.type, e.message, e.stack, cancel).digest);
	report(state, m.all, m.bytes);
}
BENCHMARK(BM_Fingerprint_Mix);

// The same through a warm StackMemo (what errtrack.fingerprint() does when
// its stack cache has seen every stack before: events repeating a stack text
// with their own messages).  Not the core's speed (BM_Fingerprint_Mix is):
// the cost of an event whose stack is a cache hit.
void
BM_FingerprintStackSeen_Mix(benchmark::State &state)
{
	const Mix &m = mix();
	errtrack::Cancel cancel;
	errtrack::StackMemo memo(256u << 20);
	for (const Err &e : m.all)
		memo.fingerprint(e.type, e.message, e.stack, cancel, errtrack::kCurrentAlgorithm);
	for (auto _ : state)
		for (const Err &e : m.all)
			benchmark::DoNotOptimize(memo.fingerprint(e.type, e.message, e.stack, cancel, errtrack::kCurrentAlgorithm));
	report(state, m.all, m.bytes);
}
BENCHMARK(BM_FingerprintStackSeen_Mix);

// errtrack.normalize_stack(stack) — bytes counted over the stacks only.
void
BM_NormalizeStack_Mix(benchmark::State &state)
{
	const Mix &m = mix();
	errtrack::Cancel cancel;
	size_t bytes = 0;
	for (const Err &e : m.all)
		bytes += e.stack.size();
	for (auto _ : state)
		for (const Err &e : m.all)
			benchmark::DoNotOptimize(errtrack::normalize_stack_text(e.stack, cancel));
	report(state, m.all, bytes);
}
BENCHMARK(BM_NormalizeStack_Mix);

// errtrack.normalize_message(message) — bytes counted over the messages only.
void
BM_NormalizeMessage_Mix(benchmark::State &state)
{
	const Mix &m = mix();
	size_t bytes = 0;
	for (const Err &e : m.all)
		bytes += e.message.size();
	for (auto _ : state)
		for (const Err &e : m.all)
			benchmark::DoNotOptimize(errtrack::normalize_message(e.message, e.type));
	report(state, m.all, bytes);
}
BENCHMARK(BM_NormalizeMessage_Mix);

// Per runtime, to see which parser dominates the mix.
void
BM_Fingerprint_Lang(benchmark::State &state, const char *lang)
{
	const Mix &m = mix();
	auto it = m.by_lang.find(lang);
	if (it == m.by_lang.end()) {
		state.SkipWithError("no traces for this runtime");
		return;
	}
	const std::vector<Err> &errs = it->second;
	size_t bytes = 0;
	for (const Err &e : errs)
		bytes += e.bytes();
	errtrack::Cancel cancel;
	for (auto _ : state)
		for (const Err &e : errs)
			benchmark::DoNotOptimize(errtrack::compute_fingerprint(e.type, e.message, e.stack, cancel).digest);
	report(state, errs, bytes);
}
BENCHMARK_CAPTURE(BM_Fingerprint_Lang, java, "java");
BENCHMARK_CAPTURE(BM_Fingerprint_Lang, python, "python");
BENCHMARK_CAPTURE(BM_Fingerprint_Lang, node, "node");
BENCHMARK_CAPTURE(BM_Fingerprint_Lang, go, "go");
BENCHMARK_CAPTURE(BM_Fingerprint_Lang, ruby, "ruby");
BENCHMARK_CAPTURE(BM_Fingerprint_Lang, dotnet, "dotnet");
BENCHMARK_CAPTURE(BM_Fingerprint_Lang, php, "php");
BENCHMARK_CAPTURE(BM_Fingerprint_Lang, cpp, "cpp");
BENCHMARK_CAPTURE(BM_Fingerprint_Lang, rust, "rust");

// The real labelled data sets of ../shared/datasets (Eclipse Bugzilla Java
// traces, 4 KB on average; Ubuntu Launchpad gdb back-traces, 7 KB): traces
// of the size production error tables hold, next to the repository's mix of
// ~1 KB traces.  Skipped when ../shared is absent.
const std::vector<Err> &
dataset(const std::string &name)
{
	static std::map<std::string, std::vector<Err>> cache;
	auto it = cache.find(name);
	if (it != cache.end())
		return it->second;
	std::vector<Err> errs;
	const std::string path = std::string(ERRTRACK_SHARED_DIR) + "/datasets/" + name + "/reports.jsonl";
	for (auto &o : errtrack_test::read_jsonl(path))
		if (!o["stack_text"].empty())
			errs.push_back(Err{"", "", "", o["stack_text"]});
	return cache.emplace(name, std::move(errs)).first->second;
}

void
BM_Dataset(benchmark::State &state, const char *name, bool floor)
{
	const std::vector<Err> &errs = dataset(name);
	if (errs.empty()) {
		state.SkipWithError("data set absent (../shared/datasets)");
		return;
	}
	size_t bytes = 0;
	for (const Err &e : errs)
		bytes += e.bytes();
	errtrack::Cancel cancel;
	for (auto _ : state)
		for (const Err &e : errs) {
			if (floor)
				benchmark::DoNotOptimize(errtrack::xxh3_128(e.stack.data(), e.stack.size()));
			else
				benchmark::DoNotOptimize(errtrack::compute_fingerprint(e.type, e.message, e.stack, cancel).digest);
		}
	report(state, errs, bytes);
}
BENCHMARK_CAPTURE(BM_Dataset, Xxh3_Eclipse, "eclipse_bugzilla_stacktraces", true);
BENCHMARK_CAPTURE(BM_Dataset, Fingerprint_Eclipse, "eclipse_bugzilla_stacktraces", false);
BENCHMARK_CAPTURE(BM_Dataset, Xxh3_Ubuntu, "ubuntu_launchpad_gdb_subset", true);
BENCHMARK_CAPTURE(BM_Dataset, Fingerprint_Ubuntu, "ubuntu_launchpad_gdb_subset", false);

}  // namespace
