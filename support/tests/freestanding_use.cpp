// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compiled in kernel mode by check_freestanding.sh: includes every support
 * header and instantiates every template, because a template that is
 * never instantiated is never really compiled. Not linked into anything.
 */
#include <mos/alloc.h>
#include <mos/atomic.h>
#include <mos/bug.h>
#include <mos/cache.h>
#include <mos/container_of.h>
#include <mos/fixed.h>
#include <mos/ktest.h>
#include <mos/list.h>
#include <mos/lock.h>
#include <mos/log.h>
#include <mos/math.h>
#include <mos/new.h>
#include <mos/percpu.h>
#include <mos/rbtree.h>
#include <mos/result.h>
#include <mos/text_buffer.h>
#include <mos/type_traits.h>
#include <mos/utility.h>
#include <mos/enforce.h>

namespace {

struct Item {
	mos::ListNode list_node;
	mos::RbNode tree_node;
	int key = 0;
};

struct ByKey {
	bool operator()(const Item &a, const Item &b) const { return a.key < b.key; }
};

constinit mos::LockClass use_lock_class{"use"};
constinit mos::LockClass use_mutex_class{"use_mutex"};
constinit mos::LockClass use_spinlock_class{"use_spinlock"};
constinit mos::SpinLock use_spinlock;
constinit mos::LockClass use_raw_spinlock_class{"use_raw_spinlock"};
constinit mos::RawSpinLock use_raw_spinlock;
constinit mos::Mutex use_mutex;
constinit mos::Atomic<long> use_counter(0);
constinit mos::IntrusiveList<Item, &Item::list_node> use_list;
constinit mos::RbTree<Item, &Item::tree_node, ByKey> use_tree;

mos::Result<int> may_fail(int x)
{
	if (x < 0)
		return mos::Error(-MOS_EINVAL);
	return x;
}

mos::Result<void> build(mos::Gfp gfp)
{
	int v = MOS_TRY(may_fail(1));
	MOS_TRY_ASSIGN(auto item, mos::make_owned<Item>(gfp));
	MOS_TRY_ASSIGN(auto array, mos::OwnedArray<Item>::create(gfp, 4));
	MOS_TRY_ASSIGN(auto percpu, mos::PerCpu<unsigned long>::create(gfp));
	item->key = v + int(array.size()) + int(percpu.on(0));
	use_list.push_back(*item);
	use_tree.insert(*item);
	use_tree.erase(*item);
	for (Item &i : use_list)
		use_list.remove(i);
	return {};
}

} // namespace

extern "C" long mos_freestanding_use(struct mos_test *t)
{
	mos::SpinProtected<long> sp(0);
	sp.init(use_lock_class);
	sp.with([](long &v) { v++; });
	sp.with_irqsave([](long &v) { v++; });
	long locked = *sp.lock();
	mos::MutexProtected<long> mp(0);
	mp.init(use_mutex_class);
	mp.with([](long &v) { v++; });
	mp.destroy();
	use_spinlock.init(use_spinlock_class);
	use_mutex.init(use_mutex_class);
	{
		mos::MutexGuard m(use_mutex);
		mos::IrqSaveSpinGuard s(use_spinlock);
	}
	use_raw_spinlock.init(use_raw_spinlock_class);
	{
		mos::IrqSaveRawSpinGuard r(use_raw_spinlock);
	}
	mos::RawSpinProtected<long> rp(0);
	rp.init(use_raw_spinlock_class);
	rp.with_irqsave([](long &v) { v++; });

	char text[16];
	mos::TextBuffer out(text, sizeof(text));
	out.append_list(8, [](unsigned int i) { return i != 3; });
	out.append(" ");
	out.append_chain(0, [](unsigned int i) { return i < 4 ? i + 1 : mos::TextBuffer::kEnd; });

	mos::Fixed<> q = mos::Fixed<>::from_ratio(1, 3) * mos::Fixed<>::from_int(5);
	q = q / mos::Fixed<>::from_int(2) + q.pow(3) - mos::Fixed<>::one();
	mos::log::info("q %lld", (long long)q.to_int_round());
	MOS_KT_EXPECT_EQ(t, locked, 2l);
	mos::smp_mb();
	mos::smp_rmb();
	mos::smp_wmb();
	if (MOS_WARN_ON(build(mos::Gfp::Kernel).is_error()))
		return -1;
	return use_counter.add_return(1) + use_counter.cmpxchg(1, 2) +
	       long(mos::decay(100, 3)) + long(mos::mul_u64_u64_div_u64(1, 2, 3)) +
	       (use_tree.check() ? 1 : 0) + q.to_int_floor() + out.result();
}
