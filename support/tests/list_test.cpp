// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>
#include <list>
#include <random>
#include <vector>

#include <mos/list.h>

namespace {

struct Task {
	int id = 0;
	mos::ListNode run_node;
	mos::ListNode wait_node;
};

using RunList = mos::IntrusiveList<Task, &Task::run_node>;
using WaitList = mos::IntrusiveList<Task, &Task::wait_node>;

std::vector<int> ids(const RunList &list)
{
	std::vector<int> out;
	for (Task &t : list)
		out.push_back(t.id);
	return out;
}

TEST(List, InsertPositionsAndOrder)
{
	Task t[5];
	for (int i = 0; i < 5; i++)
		t[i].id = i;
	RunList list;
	list.push_back(t[1]);
	list.push_front(t[0]);
	list.push_back(t[3]);
	list.insert_before(t[3], t[2]);
	list.push_back(t[4]);
	EXPECT_EQ(ids(list), (std::vector<int>{0, 1, 2, 3, 4}));
	EXPECT_EQ(list.size(), 5u);
	EXPECT_EQ(list.back(), &t[4]);
	EXPECT_EQ(list.next(t[4]), nullptr);
}

// Read-only users (invariant checks) walk a const list and get the
// elements themselves back, as from a const mos::RbTree.
TEST(List, AConstListIsReadableAndGivesBackItsElements)
{
	Task t[3];
	RunList list;
	const RunList &view = list;
	EXPECT_EQ(view.front(), nullptr);
	EXPECT_EQ(view.back(), nullptr);
	EXPECT_TRUE(view.begin() == view.end());
	for (int i = 0; i < 3; i++) {
		t[i].id = i;
		list.push_back(t[i]);
	}
	EXPECT_EQ(view.front(), &t[0]);
	EXPECT_EQ(view.back(), &t[2]);
	view.front()->id = 10;
	EXPECT_EQ(ids(view), (std::vector<int>{10, 1, 2}));
}

TEST(List, AnObjectCanBeOnTwoListsAtOnce)
{
	Task a, b;
	a.id = 1;
	b.id = 2;
	RunList run;
	WaitList wait;
	run.push_back(a);
	run.push_back(b);
	wait.push_back(b);
	RunList::remove(a);
	EXPECT_FALSE(a.run_node.is_linked());
	EXPECT_TRUE(b.wait_node.is_linked());
	EXPECT_EQ(wait.front(), &b);
	EXPECT_EQ(ids(run), std::vector<int>{2});
	EXPECT_FALSE(a.wait_node.is_linked());
}

TEST(List, RemovingEveryElementDuringIteration)
{
	Task t[6];
	RunList list;
	for (Task &x : t)
		list.push_back(x);
	int visited = 0;
	for (Task &x : list) {
		list.remove(x);
		visited++;
	}
	EXPECT_EQ(visited, 6);
	EXPECT_TRUE(list.is_empty());
	EXPECT_EQ(list.front(), nullptr);
	EXPECT_EQ(list.pop_front(), nullptr);
}

TEST(List, RandomOperationsMatchStdList)
{
	std::mt19937 rng(12345);
	std::vector<Task> tasks(64);
	for (int i = 0; i < 64; i++)
		tasks[i].id = i;
	RunList list;
	std::list<int> model;
	for (int op = 0; op < 5000; op++) {
		Task &t = tasks[rng() % tasks.size()];
		if (!t.run_node.is_linked()) {
			if (rng() % 2) {
				list.push_front(t);
				model.push_front(t.id);
			} else {
				list.push_back(t);
				model.push_back(t.id);
			}
		} else {
			RunList::remove(t);
			model.remove(t.id);
		}
		ASSERT_EQ(ids(list), std::vector<int>(model.begin(), model.end()));
	}
}

#ifndef MOS_TSAN
TEST(ListDeathTest, DoubleInsertAndStrayRemoveAreBugs)
{
	EXPECT_DEATH(
		{
			Task t;
			RunList list;
			list.push_back(t);
			list.push_back(t);
		},
		"BUG_ON");
	EXPECT_DEATH(
		{
			Task t;
			RunList::remove(t);
		},
		"BUG_ON");
}
#endif

} // namespace
