// SPDX-License-Identifier: GPL-2.0-only
//
// The benchmark's page datasets (datasets.h).

#include "datasets.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <stdexcept>

namespace fs = std::filesystem;

namespace swap_bench {

namespace {

constexpr size_t page_size = 4096;

/* Calls visit(path) for every regular file under root, in sorted order. */
bool walk_sorted(const fs::path &root, const std::function<bool(const fs::path &)> &visit)
{
	std::vector<fs::path> entries;
	std::error_code ec;
	for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
		entries.push_back(it->path());
	std::sort(entries.begin(), entries.end());
	for (const fs::path &p : entries) {
		if (fs::is_symlink(p, ec))
			continue;
		if (fs::is_directory(p, ec)) {
			if (!walk_sorted(p, visit))
				return false;
		} else if (fs::is_regular_file(p, ec)) {
			if (!visit(p))
				return false;
		}
	}
	return true;
}

/* At most max bytes of the file at p. */
std::string read_file(const fs::path &p, size_t max)
{
	std::ifstream in(p, std::ios::binary);
	std::string s(max, '\0');
	in.read(s.data(), std::streamsize(max));
	s.resize(size_t(in.gcount()));
	return s;
}

/* Text: no NUL byte and almost only printable ASCII or UTF-8 bytes. */
bool looks_like_text(const std::string &s)
{
	if (s.empty())
		return false;
	size_t odd = 0, n = std::min<size_t>(s.size(), 65536);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == 0)
			return false;
		if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
			odd++;
	}
	return odd * 100 < n;
}

bool is_elf(const std::string &s)
{
	return s.size() > 4 && !memcmp(s.data(), "\x7f" "ELF", 4);
}

/* Concatenates the files under root that keep() accepts, up to want bytes. */
std::vector<uint8_t> files_under(const char *root, size_t want,
				 bool (*keep)(const std::string &))
{
	std::vector<uint8_t> out;
	out.reserve(want);
	walk_sorted(root, [&](const fs::path &p) {
		std::string s = read_file(p, want - out.size());
		if (keep(s))
			out.insert(out.end(), s.begin(), s.end());
		return out.size() < want;
	});
	out.resize(out.size() / page_size * page_size);
	return out;
}

std::vector<uint8_t> random_bytes(size_t n, uint64_t seed)
{
	std::mt19937_64 rng(seed);
	std::vector<uint8_t> out(n);
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t v = rng();
		memcpy(&out[i], &v, 8);
	}
	return out;
}

} // namespace

const std::vector<std::string> &Dataset::names()
{
	static const std::vector<std::string> all = {"text", "binary", "random", "halfzero",
						     "dup40"};
	return all;
}

Dataset Dataset::make(const std::string &name, size_t nr_pages)
{
	Dataset d;
	size_t bytes = nr_pages * page_size;

	d.name_ = name;
	if (name == "text") {
		d.data_ = files_under("/usr/share", bytes, looks_like_text);
	} else if (name == "binary") {
		d.data_ = files_under("/usr/lib", bytes, is_elf);
	} else if (name == "random") {
		d.data_ = random_bytes(bytes, 1);
	} else if (name == "halfzero") {
		d.data_ = random_bytes(bytes, 2);
		for (size_t i = 0; i < nr_pages; i++)
			memset(&d.data_[i * page_size + page_size / 2], 0, page_size / 2);
	} else if (name == "dup40") {
		d.data_ = files_under("/usr/share", bytes, looks_like_text);
		std::mt19937_64 rng(3);
		for (size_t i = 1; i < d.pages(); i++) {
			if (rng() % 100 < 40) {
				size_t from = rng() % i;
				memcpy(&d.data_[i * page_size], &d.data_[from * page_size], page_size);
			}
		}
	} else {
		throw std::invalid_argument("unknown dataset " + name);
	}
	return d;
}

} // namespace swap_bench
