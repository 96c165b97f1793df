// hash.cpp — XXH3-128 behind the Hasher interface.
//
// xxHash comes from Debian's libxxhash-dev, compiled inline (XXH_INLINE_ALL)
// so its symbols stay private to errtrack.so and cannot clash with another
// copy loaded into the same backend.  XXH3-128's output is frozen since
// xxHash 0.8.0, so the fingerprint does not depend on the library version.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstring>
#include <new>

#include "hash.hpp"

#include "core_only.hpp"

namespace errtrack {

static_assert(XXH_VERSION_NUMBER >= 800, "XXH3-128 output is stable only from xxHash 0.8.0");

struct HasherAccess {
	static_assert(sizeof(XXH3_state_t) <= Hasher::kStateBytes, "Hasher::state_ too small");
	static_assert(alignof(XXH3_state_t) <= 64, "Hasher::state_ under-aligned");
};

static XXH3_state_t *
state_of(unsigned char *storage)
{
	return std::launder(reinterpret_cast<XXH3_state_t *>(storage));
}

static const XXH3_state_t *
state_of(const unsigned char *storage)
{
	return std::launder(reinterpret_cast<const XXH3_state_t *>(storage));
}

Hasher::Hasher()
{
	XXH3_state_t *st = new (state_) XXH3_state_t;
	XXH3_INITSTATE(st);
	XXH3_128bits_reset(st);
}

Hasher::~Hasher() = default;  // (XXH3_state_t is plain data)

void
Hasher::add(char tag, std::string_view bytes)
{
	uint8_t hdr[5];
	uint32_t n = static_cast<uint32_t>(bytes.size());
	hdr[0] = static_cast<uint8_t>(tag);
	hdr[1] = static_cast<uint8_t>(n);
	hdr[2] = static_cast<uint8_t>(n >> 8);
	hdr[3] = static_cast<uint8_t>(n >> 16);
	hdr[4] = static_cast<uint8_t>(n >> 24);
	XXH3_state_t *st = state_of(state_);
	XXH3_128bits_update(st, hdr, sizeof hdr);
	XXH3_128bits_update(st, bytes.data(), bytes.size());
}

static Digest128
canonical(XXH128_hash_t h)
{
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, h);
	Digest128 d;
	std::memcpy(d.data(), c.digest, 16);
	bool zero = true;
	for (uint8_t b : d)
		zero = zero && b == 0;
	if (zero)
		d[15] = 1;  // zero is reserved for "no fingerprint"
	return d;
}

Digest128
Hasher::digest() const
{
	return canonical(XXH3_128bits_digest(state_of(state_)));
}

Digest128
xxh3_128(const void *data, size_t len)
{
	return canonical(XXH3_128bits(data, len));
}

std::string
digest_to_uuid_text(const Digest128 &d)
{
	static const char hex[] = "0123456789abcdef";
	std::string s;
	s.reserve(36);
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			s.push_back('-');
		s.push_back(hex[d[i] >> 4]);
		s.push_back(hex[d[i] & 15]);
	}
	return s;
}

}  // namespace errtrack
