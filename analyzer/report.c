/* report.c - what the three report writers share: names and titles. */
#include "report.h"

#include <stdio.h>
#include <string.h>

static const char *first_field(const struct model *m, uint32_t b, const char *type,
			       const char *key)
{
	for (size_t i = 0; i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		if (f->ev.bundle == b && !strcmp(f->type, type))
			return fact_get(f, key);
	}
	return NULL;
}

const char *bundle_host(const struct model *m, uint32_t b)
{
	const char *h = first_field(m, b, "esx.hostname", "hostname");
	if (!h)
		h = first_field(m, b, "guest.hostname", "hostname");
	if (!h)
		h = first_field(m, b, "guest.uname", "hostname");
	return h;
}

const char *bundle_collected(const struct model *m, uint32_t b)
{
	return first_field(m, b, "bundle.collected", "time");
}

const char *case_title(const struct acase *c, char *buf, size_t size)
{
	const char *vm = c->vm.name ? c->vm.name : "(no VM found)";
	const char *g = c->guest.hostname ? c->guest.hostname
					  : c->guest.bundle ? c->guest.bundle : "(no guest bundle)";
	if (c->vm.host)
		snprintf(buf, size, "VM %s on %s / guest %s", vm, c->vm.host, g);
	else
		snprintf(buf, size, "VM %s / guest %s", vm, g);
	return buf;
}
