/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intrusive red-black tree with a cached leftmost node: the kernel's
 * rb_root_cached for C++, so a scheduler gets its earliest deadline or
 * smallest vruntime in O(1) and inserts/erases in O(log n).
 *
 *	struct Entity { mos::RbNode node; uint64_t deadline; };
 *	struct ByDeadline {
 *		bool operator()(const Entity &a, const Entity &b) const
 *		{ return a.deadline < b.deadline; }
 *	};
 *	mos::RbTree<Entity, &Entity::node, ByDeadline> queue;
 *
 * Equal keys are allowed; a new element goes after the equal ones already
 * there, so equal keys leave in insertion order (FIFO), as CFS relies on.
 * The tree never allocates and never owns its elements.
 *
 * The rebalancing is the textbook one (Cormen et al., ch. 13) on nodes
 * with parent pointers; RbTreeCore holds it once for every element type.
 */
#ifndef MOS_RBTREE_H
#define MOS_RBTREE_H

#include <stddef.h>
#include <mos/bug.h>
#include <mos/container_of.h>

namespace mos {

class RbNode {
public:
	constexpr RbNode() = default;
	RbNode(const RbNode &) = delete;
	RbNode &operator=(const RbNode &) = delete;

	bool is_linked() const { return linked_; }

private:
	friend class RbTreeCore;

	RbNode *parent_ = nullptr;
	RbNode *left_ = nullptr;
	RbNode *right_ = nullptr;
	bool red_ = false;
	bool linked_ = false;
};

/* The type-independent part: structure, rebalancing, walking, checking. */
class RbTreeCore {
public:
	constexpr RbTreeCore() = default;
	RbTreeCore(const RbTreeCore &) = delete;
	RbTreeCore &operator=(const RbTreeCore &) = delete;

	bool is_empty() const { return root_ == nullptr; }
	size_t size() const { return size_; }
	RbNode *first_node() const { return leftmost_; }

	RbNode *last_node() const
	{
		return root_ ? rightmost(root_) : nullptr;
	}

	static RbNode *next_node(const RbNode *n)
	{
		if (n->right_)
			return leftmost(n->right_);
		while (n->parent_ && n == n->parent_->right_)
			n = n->parent_;
		return n->parent_;
	}

	static RbNode *prev_node(const RbNode *n)
	{
		if (n->left_)
			return rightmost(n->left_);
		while (n->parent_ && n == n->parent_->left_)
			n = n->parent_;
		return n->parent_;
	}

	/*
	 * Links n below parent (nullptr: as the root), on the left or right,
	 * then rebalances. went_left_only: every step of the search went
	 * left, so n is the new leftmost.
	 */
	void link_and_balance(RbNode *n, RbNode *parent, bool left,
			      bool went_left_only)
	{
		MOS_BUG_ON(n->linked_);
		reset(n, parent, true);
		if (!parent)
			root_ = n;
		else if (left)
			parent->left_ = n;
		else
			parent->right_ = n;
		if (went_left_only)
			leftmost_ = n;
		size_++;
		insert_fixup(n);
	}

	void erase_node(RbNode *z);

	/* Returns nullptr when the tree is a valid red-black tree, else why. */
	const char *check_structure() const;

	/* Nodes on the longest root-to-leaf path (0 when empty). */
	size_t height() const { return subtree_height(root_); }

protected:
	static RbNode *&child(RbNode *n, bool left)
	{
		return left ? n->left_ : n->right_;
	}

	RbNode *root_ = nullptr;

private:
	/* A fresh red leaf under parent when linked; all clear when not. */
	static void reset(RbNode *n, RbNode *parent, bool linked)
	{
		n->parent_ = parent;
		n->left_ = n->right_ = nullptr;
		n->red_ = n->linked_ = linked;
	}

	static RbNode *leftmost(const RbNode *n)
	{
		while (n->left_)
			n = n->left_;
		return const_cast<RbNode *>(n);
	}

	static RbNode *rightmost(const RbNode *n)
	{
		while (n->right_)
			n = n->right_;
		return const_cast<RbNode *>(n);
	}

	static bool is_red(const RbNode *n) { return n && n->red_; }

	static size_t subtree_height(const RbNode *n)
	{
		if (!n)
			return 0;
		size_t l = subtree_height(n->left_), r = subtree_height(n->right_);
		return 1 + (l > r ? l : r);
	}

	/* Puts v where u was, as seen from u's parent. */
	void replace_child(RbNode *u, RbNode *v)
	{
		if (!u->parent_)
			root_ = v;
		else if (u == u->parent_->left_)
			u->parent_->left_ = v;
		else
			u->parent_->right_ = v;
		if (v)
			v->parent_ = u->parent_;
	}

	/* x's right child y takes x's place; x becomes y's left child. */
	void rotate_left(RbNode *x)
	{
		RbNode *y = x->right_;
		x->right_ = y->left_;
		if (y->left_)
			y->left_->parent_ = x;
		replace_child(x, y);
		y->left_ = x;
		x->parent_ = y;
	}

	void rotate_right(RbNode *x)
	{
		RbNode *y = x->left_;
		x->left_ = y->right_;
		if (y->right_)
			y->right_->parent_ = x;
		replace_child(x, y);
		y->right_ = x;
		x->parent_ = y;
	}

	/* Rotates p so that its child on side `left` rises. */
	void rotate_up(RbNode *p, bool child_on_left)
	{
		if (child_on_left)
			rotate_right(p);
		else
			rotate_left(p);
	}

	void insert_fixup(RbNode *n);
	void erase_fixup(RbNode *x, RbNode *parent);
	int black_height(const RbNode *n, const char **why) const;

	RbNode *leftmost_ = nullptr;
	size_t size_ = 0;
};

/*
 * Red parent under a red n: recolour while the uncle is red, else rotate
 * once or twice. Written once for both sides with `left` = parent's side.
 */
inline void RbTreeCore::insert_fixup(RbNode *n)
{
	while (is_red(n->parent_)) {
		RbNode *parent = n->parent_;
		RbNode *grand = parent->parent_; /* exists: the root is black */
		bool left = parent == grand->left_;
		RbNode *uncle = left ? grand->right_ : grand->left_;
		if (is_red(uncle)) {
			parent->red_ = uncle->red_ = false;
			grand->red_ = true;
			n = grand;
			continue;
		}
		if (n == (left ? parent->right_ : parent->left_)) {
			rotate_up(parent, !left); /* straighten the zig-zag */
			n = parent;
			parent = n->parent_;
		}
		parent->red_ = false;
		grand->red_ = true;
		rotate_up(grand, left);
	}
	root_->red_ = false;
}

inline void RbTreeCore::erase_node(RbNode *z)
{
	MOS_BUG_ON(!z->linked_);
	if (z == leftmost_)
		leftmost_ = next_node(z);

	RbNode *x, *x_parent;
	bool removed_black = !z->red_;
	if (!z->left_ || !z->right_) {
		x = z->left_ ? z->left_ : z->right_;
		x_parent = z->parent_;
		replace_child(z, x);
	} else {
		/* Two children: z's successor y takes z's place and colour. */
		RbNode *y = leftmost(z->right_);
		removed_black = !y->red_;
		x = y->right_;
		if (y->parent_ == z) {
			x_parent = y;
		} else {
			x_parent = y->parent_;
			replace_child(y, x);
			y->right_ = z->right_;
			y->right_->parent_ = y;
		}
		replace_child(z, y);
		y->left_ = z->left_;
		y->left_->parent_ = y;
		y->red_ = z->red_;
	}
	if (removed_black)
		erase_fixup(x, x_parent);
	reset(z, nullptr, false);
	size_--;
}

/* x carries an extra black; push it up or resolve it with rotations. */
inline void RbTreeCore::erase_fixup(RbNode *x, RbNode *parent)
{
	while (x != root_ && !is_red(x)) {
		bool left = x == parent->left_;
		RbNode *sibling = left ? parent->right_ : parent->left_;
		if (is_red(sibling)) {
			sibling->red_ = false;
			parent->red_ = true;
			rotate_up(parent, !left);
			sibling = left ? parent->right_ : parent->left_;
		}
		RbNode *near = left ? sibling->left_ : sibling->right_;
		RbNode *far = left ? sibling->right_ : sibling->left_;
		if (!is_red(near) && !is_red(far)) {
			sibling->red_ = true;
			x = parent;
			parent = x->parent_;
			continue;
		}
		if (!is_red(far)) {
			near->red_ = false;
			sibling->red_ = true;
			rotate_up(sibling, left);
			far = sibling;
			sibling = near;
		}
		sibling->red_ = parent->red_;
		parent->red_ = false;
		far->red_ = false;
		rotate_up(parent, !left);
		x = root_;
	}
	if (x)
		x->red_ = false;
}

/* Black height of the subtree at n, or -1 with *why set. */
inline int RbTreeCore::black_height(const RbNode *n, const char **why) const
{
	if (!n)
		return 1;
	*why = !n->linked_ ? "node in the tree not marked linked"
	     : (n->left_ && n->left_->parent_ != n) ||
	       (n->right_ && n->right_->parent_ != n) ? "wrong parent pointer"
	     : n->red_ && (is_red(n->left_) || is_red(n->right_)) ? "red node with a red child"
	     : nullptr;
	if (*why)
		return -1;
	int left = black_height(n->left_, why);
	int right = black_height(n->right_, why);
	if (left < 0 || right < 0)
		return -1;
	if (left != right) {
		*why = "unequal black heights";
		return -1;
	}
	return left + (n->red_ ? 0 : 1);
}

inline const char *RbTreeCore::check_structure() const
{
	const char *why = nullptr;
	if (!root_)
		return leftmost_ || size_ ? "empty tree with leftmost or size" : nullptr;
	if (root_->parent_ || root_->red_)
		return "root has a parent or is red";
	if (black_height(root_, &why) < 0)
		return why;
	if (leftmost_ != leftmost(root_))
		return "cached leftmost is stale";
	size_t n = 0;
	for (const RbNode *p = leftmost_; p; p = next_node(p))
		n++;
	return n == size_ ? nullptr : "size does not match the nodes";
}

template <class T, RbNode T::*Node, class Less>
class RbTree : private RbTreeCore {
public:
	class Iterator {
	public:
		T &operator*() const { return *owner(node_); }
		T *operator->() const { return owner(node_); }
		bool operator==(const Iterator &o) const { return node_ == o.node_; }
		Iterator &operator++()
		{
			node_ = next_node(node_);
			return *this;
		}

	private:
		friend class RbTree;
		explicit Iterator(RbNode *node) : node_(node) {}
		RbNode *node_;
	};

	constexpr RbTree() = default;

	using RbTreeCore::height;
	using RbTreeCore::is_empty;
	using RbTreeCore::size;

	/* After every element that does not order after item. O(log n). */
	void insert(T &item)
	{
		RbNode *parent = nullptr;
		RbNode **link = &root_;
		bool left = false, went_left_only = true;
		while (*link) {
			parent = *link;
			left = less_(item, *owner(parent));
			went_left_only &= left;
			link = &child(parent, left);
		}
		link_and_balance(node(item), parent, left, went_left_only);
	}

	void erase(T &item) { erase_node(node(item)); }

	T *first() const { return maybe_owner(first_node()); }
	T *last() const { return maybe_owner(last_node()); }
	static T *next(T &item) { return maybe_owner(next_node(node(item))); }
	static T *prev(T &item) { return maybe_owner(prev_node(node(item))); }

	/*
	 * The first element not ordered before key, or nullptr: less(item,
	 * key) must say whether item orders before key.
	 */
	template <class Key, class KeyLess = Less>
	T *lower_bound(const Key &key, KeyLess less = KeyLess()) const
	{
		RbNode *n = root_, *best = nullptr;
		while (n) {
			if (less(*owner(n), key)) {
				n = child(n, false);
			} else {
				best = n;
				n = child(n, true);
			}
		}
		return maybe_owner(best);
	}

	Iterator begin() const { return Iterator(first_node()); }
	Iterator end() const { return Iterator(nullptr); }

	/* nullptr when valid and in order; otherwise what is wrong. For tests. */
	const char *check() const
	{
		const char *why = check_structure();
		if (why)
			return why;
		for (T *p = first(); p && next(*p); p = next(*p)) {
			if (less_(*next(*p), *p))
				return "elements out of order";
		}
		return nullptr;
	}

private:
	static RbNode *node(T &item) { return &(item.*Node); }
	static T *owner(RbNode *n) { return container_of(n, Node); }
	static T *maybe_owner(RbNode *n) { return n ? owner(n) : nullptr; }

	[[no_unique_address]] Less less_;
};

} // namespace mos

#endif /* MOS_RBTREE_H */
