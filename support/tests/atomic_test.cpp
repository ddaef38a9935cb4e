// SPDX-License-Identifier: GPL-2.0-only
/* Atomic<T>: results single-threaded, then races that TSan also checks. */
#include <gtest/gtest.h>
#include <thread>
#include <vector>

#include <mos/atomic.h>

namespace {

constexpr int nr_threads = 4;
constexpr int iterations = 20000;

template <class F>
void run_threads(F body)
{
	std::vector<std::thread> threads;
	for (int i = 0; i < nr_threads; i++)
		threads.emplace_back(body, i);
	for (auto &t : threads)
		t.join();
}

TEST(Atomic, ConstantInitialisedAndSized)
{
	constinit static mos::Atomic<unsigned long> counter(3);
	EXPECT_EQ(counter.load_relaxed(), 3u);
	static_assert(sizeof(mos::Atomic<unsigned int>) == 4);
	static_assert(alignof(mos::Atomic<uint64_t>) == 8);
}

TEST(Atomic, UnsignedWrapsLikeTheKernel)
{
	mos::Atomic<unsigned int> v(0);
	EXPECT_EQ(v.sub_return(1), 0xffffffffu);
	v.add(2);
	EXPECT_EQ(v.load_relaxed(), 1u);
	v.dec();
	EXPECT_EQ(v.fetch_sub_relaxed(0), 0u);
}

TEST(Atomic, ConcurrentAddsAreNotLost)
{
	mos::Atomic<long> relaxed(0), ordered(0);
	run_threads([&](int) {
		for (int i = 0; i < iterations; i++) {
			relaxed.inc();
			ordered.add_return(2);
		}
	});
	EXPECT_EQ(relaxed.load_relaxed(), long(nr_threads) * iterations);
	EXPECT_EQ(ordered.load_relaxed(), 2l * nr_threads * iterations);
}

TEST(Atomic, CmpxchgLoopsDoNotLoseUpdates)
{
	mos::Atomic<unsigned long> v(0);
	run_threads([&](int) {
		for (int i = 0; i < iterations; i++) {
			unsigned long old = v.load_relaxed();
			while (!v.try_cmpxchg(old, old + 1)) {
			}
		}
	});
	EXPECT_EQ(v.load_relaxed(), unsigned(nr_threads * iterations));
}

TEST(Atomic, XchgHandsEachTokenToExactlyOneThread)
{
	mos::Atomic<int> slot(0), produced(0), taken(0);
	run_threads([&](int id) {
		for (int i = 0; i < iterations; i++) {
			if (id == 0) {
				if (slot.xchg(1) == 0)
					produced.inc();
			} else if (slot.xchg(0) == 1) {
				taken.inc();
			}
		}
	});
	EXPECT_EQ(taken.load_relaxed() + slot.load_relaxed(), produced.load_relaxed());
}

/* Release/acquire publication: TSan would report the plain data as racy. */
TEST(Atomic, StoreReleasePublishesToLoadAcquire)
{
	struct Message {
		int payload[8];
	};
	for (int round = 0; round < 200; round++) {
		Message msg;
		mos::Atomic<Message *> mailbox(nullptr);
		std::thread producer([&] {
			for (int i = 0; i < 8; i++)
				msg.payload[i] = round + i;
			mailbox.store_release(&msg);
		});
		Message *got;
		while (!(got = mailbox.load_acquire())) {
		}
		for (int i = 0; i < 8; i++)
			ASSERT_EQ(got->payload[i], round + i);
		producer.join();
	}
}

/* The last put sees every earlier put's writes: the refcount pattern. */
TEST(Atomic, DecAndTestIsTrueForExactlyTheLastPut)
{
	for (int round = 0; round < 50; round++) {
		mos::Atomic<int> refs(nr_threads);
		int writes[nr_threads] = {};
		mos::Atomic<int> last_puts(0);
		int sum = 0;
		run_threads([&](int id) {
			writes[id] = id + 1;
			if (refs.dec_and_test()) {
				last_puts.inc();
				for (int w : writes)
					sum += w;
			}
		});
		EXPECT_EQ(last_puts.load_relaxed(), 1);
		EXPECT_EQ(sum, nr_threads * (nr_threads + 1) / 2);
	}
}

} // namespace
