// SPDX-License-Identifier: GPL-2.0-only
//
// Page contents for the store/load benchmarks, all deterministic:
//
//   text      the host's text files under /usr/share, concatenated in
//             sorted path order and cut into 4 KiB pages
//   binary    the host's shared libraries under /usr/lib (ELF code and data)
//   random    bytes from a fixed-seed generator: incompressible, so every
//             page is stored whole
//   halfzero  2 KiB of random bytes, then 2 KiB of zeroes
//   dup40     the text pages with 40 % of them replaced by copies of
//             earlier ones: the dedup path (a hit costs one decompress and
//             compare, no compression)
//
// A dataset is shorter than asked when the host has too few such files
// (pages() says how many); a page is never repeated to fill it up, which
// would turn a compression benchmark into a dedup one.
#ifndef MOS_SWAP_BENCH_DATASETS_H
#define MOS_SWAP_BENCH_DATASETS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace swap_bench {

class Dataset {
public:
	static const std::vector<std::string> &names();
	/* Up to nr_pages pages of the named dataset (throws on an unknown name). */
	static Dataset make(const std::string &name, size_t nr_pages);

	size_t pages() const { return data_.size() / page_size; }
	const uint8_t *page(size_t i) const { return data_.data() + i * page_size; }
	const std::string &name() const { return name_; }

private:
	static constexpr size_t page_size = 4096;

	std::string name_;
	std::vector<uint8_t> data_;
};

} // namespace swap_bench

#endif
