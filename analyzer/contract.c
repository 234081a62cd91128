/* contract.c - rules against the fact contract (contract.h). */
#include "contract.h"

#include <stdlib.h>

#include "facts.h"
#include "ndctl.h"

/* The fields a rule's facts can carry: the named groups of its member (or
 * name) and line patterns, its `with` variables, serial (from `serial`),
 * label and source. */
static const char **rule_fields(const struct rule *r)
{
	size_t n = 0, cap = r->member.ngroups + r->line.ngroups + r->nwith + 4;
	const char **v = xcalloc(cap, sizeof(*v));
	for (size_t g = 0; g < r->member.ngroups; g++)
		v[n++] = r->member.groups[g].name;
	for (size_t g = 0; g < r->line.ngroups; g++)
		v[n++] = r->line.groups[g].name;
	for (size_t w = 0; w < r->nwith; w++)
		v[n++] = r->with[w];
	if (r->serial_from)
		v[n++] = "serial";
	if (r->label)
		v[n++] = "label";
	if (r->source)
		v[n++] = "source";
	v[n] = NULL;
	return v;
}

size_t rules_check_contract(const struct ruleset *rs, struct buf *errs)
{
	size_t nnd, n = 0;
	const struct fact_maker *nd = ndctl_makers(&nnd);
	struct fact_maker *mk = xcalloc(rs->n + nnd + 1, sizeof(*mk));
	bool json = false;

	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		json |= r->parser == PARSER_NDCTL_JSON;
		if (!r->fact)
			continue;
		mk[n].who = xasprintf("rule [%s] (%s:%d)", r->name, r->file, r->line_no);
		mk[n].type = r->fact;
		mk[n++].fields[0] = rule_fields(r);
	}
	size_t nrules = n;
	for (size_t i = 0; json && i < nnd; i++)
		mk[n++] = nd[i];
	size_t bad = facts_check_makers(mk, n, errs);
	for (size_t i = 0; i < nrules; i++) {
		free((char *)mk[i].who);
		free((void *)mk[i].fields[0]);
	}
	free(mk);
	return bad;
}
