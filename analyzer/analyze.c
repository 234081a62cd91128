/* analyze.c - the passes of the analysis, in order (analyze.h). */
#include "analyze.h"

#include <stdlib.h>
#include <string.h>

#include "bundleinfo.h"
#include "chain.h"
#include "findings.h"
#include "guestside.h"
#include "history.h"
#include "hostside.h"
#include "index.h"
#include "pair.h"
#include "timeline.h"
#include "util.h"

/* One case of VM v and guest g (either may be NULL): its devices, then
 * its findings. */
static void one_case(struct analysis *a, const struct factindex *fx, const struct chainidx *ci, const struct vm *v,
		     const struct guest *g, const char *paired_by)
{
	struct casework cw = { .a = a, .fx = fx, .v = v, .g = g };
	cw.c = analysis_add_case(a);
	chain_case(&cw, ci, paired_by);
	findings_check(&cw);
	casework_free(&cw);
}

/* A case for each guest, with its VM if it has one; then one for each VM
 * with vPMem devices that no guest claimed. */
static void cases(struct analysis *a, const struct factindex *fx, const struct vmset *vs, const struct guestset *gs)
{
	struct chainidx ci;
	int *vm_of = xcalloc(gs->n + 1, sizeof(*vm_of));
	const char **how = xcalloc(gs->n + 1, sizeof(*how));
	bool *vm_used = xcalloc(vs->n + 1, sizeof(bool));

	chainidx_build(&ci, fx);
	pair_guests(a, vs, gs, vm_of, how);
	for (size_t i = 0; i < gs->n; i++) {
		one_case(a, fx, &ci, vm_of[i] >= 0 ? &vs->vms[vm_of[i]] : NULL, &gs->g[i], how[i]);
		if (vm_of[i] >= 0)
			vm_used[vm_of[i]] = true;
	}
	for (size_t i = 0; i < vs->n; i++)
		if (!vm_used[i] && vs->vms[i].ndevs)
			one_case(a, fx, &ci, &vs->vms[i], NULL, "none");
	chainidx_free(&ci);
	free(vm_used);
	free(how);
	free(vm_of);
}

/* Errors first, then warnings, then the rest, each in the order raised:
 * a counting sort, stable and linear however many findings a case has. */
static void sort_findings(struct acase *c)
{
	size_t start[SEV_INFO + 2] = { 0 };
	if (c->nfinds < 2)
		return;
	for (size_t i = 0; i < c->nfinds; i++)
		start[c->finds[i].severity + 1]++;
	for (int s = 1; s <= SEV_INFO + 1; s++)
		start[s] += start[s - 1];
	struct finding *sorted = xmalloc(c->nfinds * sizeof(*sorted));
	for (size_t i = 0; i < c->nfinds; i++)
		sorted[start[c->finds[i].severity]++] = c->finds[i];
	free(c->finds);
	c->finds = sorted;
	c->finds_cap = c->nfinds;
}

void analyze(const struct model *m, struct analysis *a)
{
	struct factindex fx;
	struct vmset vs;
	struct guestset gs;

	analysis_init(a, m);
	factindex_build(&fx, m);
	check_times(a);
	bundle_notes(a, &fx);
	vmset_build(&vs, a, &fx);
	guestset_build(&gs, a, &fx);
	cases(a, &fx, &vs, &gs);
	findings_check_inputs(a, &fx);
	timelines_build(a, &fx);
	history_check(a);
	a->complete = true;
	for (size_t i = 0; i < a->ncases; i++) {
		sort_findings(&a->cases[i]);
		a->errors += a->cases[i].errors;
		a->warnings += a->cases[i].warnings;
		for (size_t k = 0; k < a->cases[i].ndevs; k++)
			a->complete &= a->cases[i].devs[k].status == ST_MATCHED;
	}
	guestset_free(&gs);
	vmset_free(&vs);
	factindex_free(&fx);
}
