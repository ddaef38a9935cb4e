// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include <mos/rbtree.h>

namespace {

struct Entity {
	mos::RbNode node;
	int key = 0;
	int seq = 0; /* insertion order, to check stability */
};

struct ByKey {
	bool operator()(const Entity &a, const Entity &b) const { return a.key < b.key; }
	bool operator()(const Entity &a, int key) const { return a.key < key; }
};

using Tree = mos::RbTree<Entity, &Entity::node, ByKey>;
/* (key, seq): ordered like the tree, equal keys by insertion order. */
using Model = std::multiset<std::pair<int, int>>;

std::vector<std::pair<int, int>> contents(const Tree &tree)
{
	std::vector<std::pair<int, int>> out;
	for (Entity &e : tree)
		out.emplace_back(e.key, e.seq);
	return out;
}

void expect_matches(const Tree &tree, const Model &model)
{
	ASSERT_EQ(tree.check(), nullptr);
	ASSERT_EQ(tree.size(), model.size());
	std::vector<std::pair<int, int>> expected(model.begin(), model.end());
	ASSERT_EQ(contents(tree), expected);
	if (model.empty()) {
		ASSERT_EQ(tree.first(), nullptr);
		ASSERT_EQ(tree.last(), nullptr);
		return;
	}
	ASSERT_EQ(tree.first()->seq, model.begin()->second);
	ASSERT_EQ(tree.last()->seq, model.rbegin()->second);
}

TEST(RbTree, RandomInsertEraseMatchesMultiset)
{
	std::mt19937 rng(2024);
	constexpr int pool = 512, ops = 6000;
	std::vector<Entity> items(pool);
	Tree tree;
	Model model;
	int seq = 0;
	for (int op = 0; op < ops; op++) {
		Entity &e = items[rng() % pool];
		if (e.node.is_linked()) {
			tree.erase(e);
			model.erase(model.find({e.key, e.seq}));
		} else {
			e.key = int(rng() % 64); /* many duplicates */
			e.seq = seq++;
			tree.insert(e);
			model.emplace(e.key, e.seq);
		}
		expect_matches(tree, model);
		if (HasFatalFailure())
			return;
	}
}

TEST(RbTree, EraseFromTheFrontIsAPriorityQueue)
{
	std::mt19937 rng(7);
	std::vector<Entity> items(1000);
	Tree tree;
	for (size_t i = 0; i < items.size(); i++) {
		items[i].key = int(rng() % 100000);
		items[i].seq = int(i);
		tree.insert(items[i]);
	}
	int last = -1;
	while (Entity *first = tree.first()) {
		ASSERT_GE(first->key, last);
		last = first->key;
		tree.erase(*first);
		ASSERT_EQ(tree.check(), nullptr);
	}
	EXPECT_TRUE(tree.is_empty());
}

TEST(RbTree, SortedInsertionStaysBalanced)
{
	std::vector<Entity> items(4095);
	Tree tree;
	for (size_t i = 0; i < items.size(); i++) {
		items[i].key = int(i);
		tree.insert(items[i]);
	}
	ASSERT_EQ(tree.check(), nullptr);
	/* A red-black tree's height is at most 2 log2(n + 1) = 24 here. */
	EXPECT_LE(tree.height(), 24u);
	EXPECT_GE(tree.height(), 12u);
	EXPECT_EQ(tree.first(), &items.front());
	EXPECT_EQ(tree.last(), &items.back());
}

TEST(RbTree, LowerBoundNextAndPrev)
{
	std::vector<Entity> items(10);
	Tree tree;
	for (int i = 0; i < 10; i++) {
		items[i].key = (i / 2) * 10; /* 0 0 10 10 20 20 ... */
		items[i].seq = i;
		tree.insert(items[i]);
	}
	EXPECT_EQ(tree.lower_bound(10), &items[2]) << "first of the equal keys";
	EXPECT_EQ(tree.lower_bound(11), &items[4]);
	EXPECT_EQ(tree.lower_bound(-5), &items[0]);
	EXPECT_EQ(tree.lower_bound(41), nullptr);
	EXPECT_EQ(Tree::next(items[2]), &items[3]);
	EXPECT_EQ(Tree::prev(items[2]), &items[1]);
	EXPECT_EQ(Tree::prev(items[0]), nullptr);
	EXPECT_EQ(Tree::next(items[9]), nullptr);
}

TEST(RbTree, CheckerNoticesCorruption)
{
	std::vector<Entity> items(8);
	Tree tree;
	for (int i = 0; i < 8; i++) {
		items[i].key = i;
		tree.insert(items[i]);
	}
	ASSERT_EQ(tree.check(), nullptr);
	items[3].key = 100; /* reorder behind the tree's back */
	EXPECT_STREQ(tree.check(), "elements out of order");
	items[3].key = 3;
	EXPECT_EQ(tree.check(), nullptr);
}

} // namespace
