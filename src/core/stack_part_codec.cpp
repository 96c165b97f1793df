// stack_part_codec.cpp — see stack_part_codec.hpp.
#include "stack_part_codec.hpp"

#include <cstdint>
#include <cstring>

#include "core_only.hpp"

namespace errtrack {

namespace {

constexpr unsigned char kMagic0 = 'E', kMagic1 = 'S', kFormat = 1;
constexpr size_t kHeader = 6 + 4 + 4;

enum : unsigned char { kPrimaryIsOuter = 1, kDumpChain = 2, kLibraryKey = 4 };

void
put_u32(std::string &out, uint32_t v)
{
	char b[4];
	std::memcpy(b, &v, 4);
	out.append(b, 4);
}

void
put_str(std::string &out, const std::string &s)
{
	put_u32(out, static_cast<uint32_t>(s.size()));
	out.append(s);
}

void
put_list(std::string &out, const std::vector<std::string> &v)
{
	put_u32(out, static_cast<uint32_t>(v.size()));
	for (const std::string &s : v)
		put_str(out, s);
}

size_t
list_size(const std::vector<std::string> &v) noexcept
{
	size_t n = 4;
	for (const std::string &s : v)
		n += 4 + s.size();
	return n;
}

struct Reader {
	std::string_view in;
	size_t at = 0;
	bool u32(uint32_t &v)
	{
		if (in.size() - at < 4)
			return false;
		std::memcpy(&v, in.data() + at, 4);
		at += 4;
		return true;
	}
	bool str(std::string &s)
	{
		uint32_t n;
		if (!u32(n) || in.size() - at < n)
			return false;
		s.assign(in.data() + at, n);
		at += n;
		return true;
	}
	bool list(std::vector<std::string> &v)
	{
		uint32_t n;
		// every string takes at least its 4-byte length: a count the rest of
		// the blob cannot hold is refused before anything is allocated
		if (!u32(n) || n > (in.size() - at) / 4)
			return false;
		v.assign(n, std::string());
		for (std::string &s : v)
			if (!str(s))
				return false;
		return true;
	}
};

}  // namespace

size_t
encoded_stack_part_size(const StackPart &p) noexcept
{
	return kHeader + 6 * 4 + p.primary_type.size() + p.primary_message.size() + p.outer_type.size() +
	       p.outer_frame.size() + p.api.size() + p.cause_message.size() + list_size(p.frames) +
	       list_size(p.frames_logging_cut);
}

void
encode_stack_part(const StackPart &p, std::string &out)
{
	const size_t start = out.size();
	try {
		out.reserve(start + encoded_stack_part_size(p));
		const unsigned char flags = (p.primary_is_outer ? kPrimaryIsOuter : 0) | (p.dump_chain ? kDumpChain : 0) |
		                            (p.library_key ? kLibraryKey : 0);
		const char head[6] = {char(kMagic0), char(kMagic1), char(kFormat), char(p.algorithm), char(p.lang),
		                      char(flags)};
		out.append(head, 6);
		int32_t depth = p.primary_depth;
		uint32_t d;
		std::memcpy(&d, &depth, 4);
		put_u32(out, d);
		put_u32(out, static_cast<uint32_t>(p.exceptions));
		put_str(out, p.primary_type);
		put_str(out, p.primary_message);
		put_str(out, p.outer_type);
		put_str(out, p.outer_frame);
		put_str(out, p.api);
		put_str(out, p.cause_message);
		put_list(out, p.frames);
		put_list(out, p.frames_logging_cut);
	} catch (...) {
		out.resize(start);
		throw;
	}
}

bool
decode_stack_part(std::string_view blob, StackPart &out)
{
	if (blob.size() < kHeader)
		return false;
	const auto *h = reinterpret_cast<const unsigned char *>(blob.data());
	if (h[0] != kMagic0 || h[1] != kMagic1 || h[2] != kFormat)
		return false;
	if (h[3] != static_cast<unsigned char>(Algorithm::Fp1) && h[3] != static_cast<unsigned char>(Algorithm::Fp2))
		return false;
	if (h[4] > static_cast<unsigned char>(Lang::Generic) || (h[5] & ~(kPrimaryIsOuter | kDumpChain | kLibraryKey)))
		return false;
	out.algorithm = static_cast<Algorithm>(h[3]);
	out.lang = static_cast<Lang>(h[4]);
	out.primary_is_outer = h[5] & kPrimaryIsOuter;
	out.dump_chain = h[5] & kDumpChain;
	out.library_key = h[5] & kLibraryKey;
	Reader r{blob, 6};
	uint32_t depth, exceptions;
	if (!r.u32(depth) || !r.u32(exceptions))
		return false;
	int32_t sdepth;
	std::memcpy(&sdepth, &depth, 4);
	out.primary_depth = sdepth;
	out.exceptions = exceptions;
	if (!r.str(out.primary_type) || !r.str(out.primary_message) || !r.str(out.outer_type) ||
	    !r.str(out.outer_frame) || !r.str(out.api) || !r.str(out.cause_message) || !r.list(out.frames) ||
	    !r.list(out.frames_logging_cut))
		return false;
	return r.at == blob.size();
}

bool
operator==(const StackPart &a, const StackPart &b)
{
	return a.algorithm == b.algorithm && a.lang == b.lang && a.exceptions == b.exceptions &&
	       a.primary_is_outer == b.primary_is_outer && a.dump_chain == b.dump_chain &&
	       a.primary_depth == b.primary_depth && a.primary_type == b.primary_type &&
	       a.primary_message == b.primary_message && a.outer_type == b.outer_type && a.frames == b.frames &&
	       a.frames_logging_cut == b.frames_logging_cut && a.library_key == b.library_key &&
	       a.outer_frame == b.outer_frame && a.api == b.api && a.cause_message == b.cause_message;
}

}  // namespace errtrack
