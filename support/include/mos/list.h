/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intrusive doubly linked list, the kernel's list_head for C++.
 *
 *	struct Task { mos::ListNode run_node; ... };
 *	mos::IntrusiveList<Task, &Task::run_node> runnable;
 *
 * The list never allocates and never owns: a node lives inside its object,
 * insert and remove are O(1), and an object can sit on several lists with
 * several nodes. The list is circular around a sentinel head, so it holds
 * pointers to itself and can be neither copied nor moved.
 *
 * Iteration is removal-safe for the current element (the iterator has
 * already stepped past it), like list_for_each_entry_safe().
 *
 * A const list is one whose links do not change: front(), back() and
 * iteration work on it and still hand out T *, because the list never
 * owns its elements (the same rule as mos::RbTree's first()).
 */
#ifndef MOS_LIST_H
#define MOS_LIST_H

#include <stddef.h>
#include <mos/bug.h>
#include <mos/container_of.h>

namespace mos {

class ListNode {
public:
	constexpr ListNode() = default;
	ListNode(const ListNode &) = delete;
	ListNode &operator=(const ListNode &) = delete;

	bool is_linked() const { return next_ != nullptr; }

private:
	template <class T, ListNode T::*> friend class IntrusiveList;

	ListNode *next_ = nullptr;
	ListNode *prev_ = nullptr;
};

template <class T, ListNode T::*Node>
class IntrusiveList {
public:
	class Iterator {
	public:
		T &operator*() const { return *owner(node_); }
		T *operator->() const { return owner(node_); }
		bool operator==(const Iterator &o) const { return node_ == o.node_; }

		Iterator &operator++()
		{
			node_ = next_;
			next_ = node_->next_;
			return *this;
		}

	private:
		friend class IntrusiveList;
		explicit Iterator(ListNode *node) : node_(node), next_(node->next_) {}

		ListNode *node_;
		ListNode *next_;
	};

	constexpr IntrusiveList() { head_.next_ = head_.prev_ = &head_; }
	IntrusiveList(const IntrusiveList &) = delete;
	IntrusiveList &operator=(const IntrusiveList &) = delete;

	bool is_empty() const { return head_.next_ == &head_; }

	/* O(n): lists do not keep a count, as in the kernel. */
	size_t size() const
	{
		size_t n = 0;
		for (const ListNode *p = head_.next_; p != &head_; p = p->next_)
			n++;
		return n;
	}

	void push_front(T &item) { link(node(item), &head_, head_.next_); }
	void push_back(T &item) { link(node(item), head_.prev_, &head_); }

	/* Inserts item just before pos, which must be on this list. */
	void insert_before(T &pos, T &item)
	{
		ListNode *at = node(pos);
		link(node(item), at->prev_, at);
	}

	/* Unlinks item from whichever list of this kind holds it. */
	static void remove(T &item)
	{
		ListNode *n = node(item);
		MOS_BUG_ON(!n->is_linked());
		n->prev_->next_ = n->next_;
		n->next_->prev_ = n->prev_;
		n->next_ = n->prev_ = nullptr;
	}

	T *front() const { return is_empty() ? nullptr : owner(head_.next_); }
	T *back() const { return is_empty() ? nullptr : owner(head_.prev_); }

	T *pop_front()
	{
		T *item = front();
		if (item)
			remove(*item);
		return item;
	}

	/* The element after item, or nullptr at the end. */
	T *next(T &item)
	{
		ListNode *n = node(item)->next_;
		return n == &head_ ? nullptr : owner(n);
	}

	Iterator begin() const { return Iterator(head_.next_); }
	Iterator end() const { return Iterator(sentinel()); }

private:
	static ListNode *node(T &item) { return &(item.*Node); }
	/* Only compared with and stepped from, never written through. */
	ListNode *sentinel() const { return const_cast<ListNode *>(&head_); }
	static T *owner(ListNode *n) { return container_of(n, Node); }

	static void link(ListNode *n, ListNode *prev, ListNode *next)
	{
		MOS_BUG_ON(n->is_linked()); /* on a list already: corruption */
		n->prev_ = prev;
		n->next_ = next;
		prev->next_ = n;
		next->prev_ = n;
	}

	ListNode head_;
};

} // namespace mos

#endif /* MOS_LIST_H */
