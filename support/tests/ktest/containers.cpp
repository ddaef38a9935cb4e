// SPDX-License-Identifier: GPL-2.0-only
/* Intrusive list and red-black tree: they link objects, never allocate. */
#include <mos/alloc.h>
#include <mos/ktest.h>
#include <mos/list.h>
#include <mos/rbtree.h>
#include "ktest_cases.h"
#include <mos/enforce.h>

namespace {

struct Entry {
	mos::ListNode list_node;
	mos::RbNode tree_node;
	unsigned int key = 0;
	unsigned int seq = 0;
};

struct ByKey {
	bool operator()(const Entry &a, const Entry &b) const { return a.key < b.key; }
	bool operator()(const Entry &a, unsigned int key) const { return a.key < key; }
};

using EntryList = mos::IntrusiveList<Entry, &Entry::list_node>;
using EntryTree = mos::RbTree<Entry, &Entry::tree_node, ByKey>;

constexpr unsigned int nr_entries = 64;

/* A fixed pseudo-random sequence with repeats (keys 0..15). */
unsigned int key_of(unsigned int i)
{
	return (i * 2654435761u >> 7) % 16;
}

} // namespace

extern "C" void mos_kt_list_ops(struct mos_test *t)
{
	Entry e[4];
	EntryList list;
	MOS_KT_EXPECT_TRUE(t, list.is_empty());
	for (unsigned int i = 0; i < 4; i++) {
		e[i].key = i;
		list.push_back(e[i]);
	}
	MOS_KT_EXPECT_EQ(t, list.size(), 4u);
	MOS_KT_EXPECT_EQ(t, list.front(), &e[0]);
	MOS_KT_EXPECT_EQ(t, list.back(), &e[3]);

	for (Entry &x : list) { /* removal of the current element is safe */
		if (x.key % 2)
			list.remove(x);
	}
	MOS_KT_EXPECT_FALSE(t, e[1].list_node.is_linked());
	MOS_KT_EXPECT_EQ(t, list.size(), 2u);
	MOS_KT_EXPECT_EQ(t, list.next(e[0]), &e[2]);

	list.push_front(e[3]);
	MOS_KT_EXPECT_EQ(t, list.pop_front(), &e[3]);
	MOS_KT_EXPECT_EQ(t, list.pop_front(), &e[0]);
	MOS_KT_EXPECT_EQ(t, list.pop_front(), &e[2]);
	MOS_KT_EXPECT_EQ(t, list.pop_front(), nullptr);
}

extern "C" void mos_kt_rbtree_ordered(struct mos_test *t)
{
	/* 4 KiB of entries: too much for a kernel stack frame. */
	auto entries = mos::OwnedArray<Entry>::create(mos::Gfp::Kernel, nr_entries);
	MOS_KT_ASSERT_OK(t, entries);
	mos::OwnedArray<Entry> &e = entries.value();
	EntryTree tree;
	for (unsigned int i = 0; i < nr_entries; i++) {
		e[i].key = key_of(i);
		e[i].seq = i;
		tree.insert(e[i]);
	}
	MOS_KT_ASSERT_EQ(t, tree.check(), nullptr);
	MOS_KT_EXPECT_EQ(t, tree.size(), size_t(nr_entries));

	/* In key order, and equal keys in insertion order. */
	const Entry *prev = nullptr;
	for (const Entry &x : tree) {
		if (prev)
			MOS_KT_EXPECT_TRUE(t, prev->key < x.key ||
					   (prev->key == x.key && prev->seq < x.seq));
		prev = &x;
	}

	for (unsigned int i = 0; i < nr_entries; i += 2)
		tree.erase(e[i]);
	MOS_KT_ASSERT_EQ(t, tree.check(), nullptr);
	MOS_KT_EXPECT_EQ(t, tree.size(), size_t(nr_entries / 2));

	Entry *lb = tree.lower_bound(8u);
	MOS_KT_ASSERT_NE(t, lb, nullptr);
	MOS_KT_EXPECT_GE(t, lb->key, 8u);
	Entry *before = EntryTree::prev(*lb);
	if (before)
		MOS_KT_EXPECT_LT(t, before->key, 8u);

	while (Entry *first = tree.first())
		tree.erase(*first);
	MOS_KT_EXPECT_TRUE(t, tree.is_empty());
	MOS_KT_EXPECT_EQ(t, tree.check(), nullptr);
}
