// algorithm.hpp — the fingerprint algorithm versions (the contract is in
// fingerprint.hpp).  A header of its own so that a rule outside
// fingerprint.cpp (the message template, message.hpp) can be gated on it.
#pragma once
#include <cstdint>

namespace errtrack {

enum class Algorithm : uint8_t { Fp1 = 1, Fp2 = 2 };
constexpr Algorithm kCurrentAlgorithm = Algorithm::Fp2;  // what errtrack.fingerprint() computes

}  // namespace errtrack
