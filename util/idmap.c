/*
 * idmap.c - a hash map from nonzero 64-bit keys to values of one fixed
 * size: open addressing, linear probing, at most 70 % full.
 */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

void
hl_idmap_init(struct hl_idmap *m, size_t size)
{
	memset(m, 0, sizeof(*m));
	m->size = size;
}

/* Doubles the room (64 slots at first) and puts every entry back. */
static void
grow(struct hl_idmap *m)
{
	struct hl_idmap old = *m;
	size_t i, j, mask;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->key = hl_xcalloc(m->cap, sizeof(*m->key));
	m->val = hl_xcalloc(m->cap, m->size);
	mask = m->cap - 1;
	for (i = 0; i < old.cap; i++) {
		if (old.key[i] == 0)
			continue;
		for (j = hl_hash_u64(old.key[i]) & mask; m->key[j];
		     j = (j + 1) & mask)
			;
		m->key[j] = old.key[i];
		memcpy(hl_idmap_val(m, j), hl_idmap_val(&old, i), m->size);
	}
	free(old.key);
	free(old.val);
}

void *
hl_idmap_slot(struct hl_idmap *m, uint64_t key, int *isnew)
{
	size_t i, mask;

	if (m->n * 10 >= m->cap * 7)
		grow(m);
	mask = m->cap - 1;
	for (i = hl_hash_u64(key) & mask; m->key[i]; i = (i + 1) & mask)
		if (m->key[i] == key) {
			*isnew = 0;
			return hl_idmap_val(m, i);
		}
	m->key[i] = key;
	m->n++;
	*isnew = 1;
	return memset(hl_idmap_val(m, i), 0, m->size);
}

void *
hl_idmap_find(const struct hl_idmap *m, uint64_t key)
{
	size_t i, mask;

	if (m->cap == 0)
		return NULL;
	mask = m->cap - 1;
	for (i = hl_hash_u64(key) & mask; m->key[i]; i = (i + 1) & mask)
		if (m->key[i] == key)
			return hl_idmap_val(m, i);
	return NULL;
}

void
hl_idmap_clear(struct hl_idmap *m)
{
	if (m->key)
		memset(m->key, 0, m->cap * sizeof(*m->key));
	m->n = 0;
}

void
hl_idmap_release(struct hl_idmap *m)
{
	free(m->key);
	free(m->val);
	hl_idmap_init(m, m->size);
}
