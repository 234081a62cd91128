/* guestside.h - the guests of the guest bundles and their nmem devices.
 *
 * A guest is a sosreport, or any bundle with an ndctl dimm, region or
 * namespace in it (pasted ndctl output). Its dimms are in nmem order, each once, and findable by
 * the serial the guest shows (the last 8 hex digits of the .vmdk UUID).
 */
#ifndef PMEMMAP_GUESTSIDE_H
#define PMEMMAP_GUESTSIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "index.h"

/* A guest's dimm by serial: its index in dimms[] (sorted by serial
 * pointer, then index: equal serials are the same interned pointer). */
struct sidx {
	const char *serial;
	size_t i;
};

struct guest {
	uint32_t bundle;
	const char *hostname, *system_uuid, *vmware_serial, *product_uuid, *collected;
	bool has_ndctl; /* any ndctl output, even empty */
	const char *nd_without_dimms; /* "namespaces" or "regions" listed while no dimm is, or NULL */
	const struct fact **dimms; /* nd.dimm, in nmem order */
	const char **serials; /* of each dimm, interned, or NULL */
	size_t ndimms;
	struct sidx *by_serial; /* the dimms with a serial, by serial */
	size_t nby_serial;
};

struct guestset {
	struct guest *g;
	size_t n;
};

void guestset_build(struct guestset *gs, const struct analysis *a, const struct factindex *fx);
void guestset_free(struct guestset *gs);

/* The guest's dimms with this serial: by_serial[*lo .. return value). */
size_t guest_serial_range(const struct guest *g, const char *serial, size_t *lo);

#endif
