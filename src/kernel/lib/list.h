/*
 * Intrusive doubly linked lists, as in Linux's include/linux/list.h.
 *
 * A list is a struct list_head sentinel; members embed a struct list_head
 * and are recovered with container_of().  An empty list points at itself.
 * Nothing here allocates.  The nodes of the guest kernel's lists often live
 * in emulated RAM (struct page in mem_map, slab objects); the links are host
 * pointers all the same.
 */
#ifndef MMULAB_KERNEL_LIST_H
#define MMULAB_KERNEL_LIST_H

#include <stdbool.h>
#include <stddef.h>

#ifndef container_of
/* The struct of type @type whose member @member is at @ptr. */
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void __list_add(struct list_head *entry, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	prev->next = entry;
}

/* Insert @entry right after @head (stack order). */
static inline void list_add(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head, head->next);
}

/* Insert @entry right before @head, i.e. at the tail (queue order). */
static inline void list_add_tail(struct list_head *entry,
				 struct list_head *head)
{
	__list_add(entry, head->prev, head);
}

static inline void __list_del(struct list_head *prev, struct list_head *next)
{
	next->prev = prev;
	prev->next = next;
}

/*
 * Unlink @entry.  Its links are left poisoned (NULL) so a second list_del
 * crashes at once instead of corrupting the list.
 */
static inline void list_del(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
	entry->next = NULL;
	entry->prev = NULL;
}

/* Unlink @entry and make it an empty list again (safe to list_del twice). */
static inline void list_del_init(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
	INIT_LIST_HEAD(entry);
}

/* Put @new where @old was; @old's links are left stale. */
static inline void list_replace(struct list_head *old, struct list_head *new)
{
	new->next = old->next;
	new->next->prev = new;
	new->prev = old->prev;
	new->prev->next = new;
}

/* Unlink @entry from its list and add it at the head of @head. */
static inline void list_move(struct list_head *entry, struct list_head *head)
{
	__list_del(entry->prev, entry->next);
	list_add(entry, head);
}

/* Unlink @entry from its list and add it at the tail of @head. */
static inline void list_move_tail(struct list_head *entry,
				  struct list_head *head)
{
	__list_del(entry->prev, entry->next);
	list_add_tail(entry, head);
}

/* Move every entry of @list to the front of @head; @list ends empty. */
static inline void list_splice_init(struct list_head *list,
				    struct list_head *head)
{
	if (list->next == list)
		return;
	struct list_head *first = list->next, *last = list->prev;

	first->prev = head;
	last->next = head->next;
	head->next->prev = last;
	head->next = first;
	INIT_LIST_HEAD(list);
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

static inline bool list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)

/* First entry; the list must not be empty. */
#define list_first_entry(ptr, type, member) \
	list_entry((ptr)->next, type, member)

/* Last entry; the list must not be empty. */
#define list_last_entry(ptr, type, member) \
	list_entry((ptr)->prev, type, member)

/* First entry or NULL when the list is empty. */
#define list_first_entry_or_null(ptr, type, member)                       \
	(list_empty(ptr) ? NULL : list_first_entry(ptr, type, member))

#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)

#define list_prev_entry(pos, member) \
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)

#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)

#define list_for_each_entry(pos, head, member)                            \
	for (pos = list_first_entry(head, __typeof__(*pos), member);       \
	     &pos->member != (head); pos = list_next_entry(pos, member))

#define list_for_each_entry_reverse(pos, head, member)                    \
	for (pos = list_last_entry(head, __typeof__(*pos), member);        \
	     &pos->member != (head); pos = list_prev_entry(pos, member))

/* Iterate while allowing the current entry to be removed. */
#define list_for_each_entry_safe(pos, n, head, member)                    \
	for (pos = list_first_entry(head, __typeof__(*pos), member),       \
	    n = list_next_entry(pos, member);                              \
	     &pos->member != (head); pos = n, n = list_next_entry(n, member))

/* Number of entries: O(n). */
static inline size_t list_count(const struct list_head *head)
{
	size_t n = 0;
	const struct list_head *p;

	for (p = head->next; p != head; p = p->next)
		n++;
	return n;
}

#endif
