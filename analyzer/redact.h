/* redact.h - --redact: names, addresses and the free-text parts of paths
 * become stable tokens (host-1, vm-2, datastore-1, ...), one table for
 * every input and every output of a run.
 *
 * One pass over the model, after the inputs are read (analyze, extract)
 * or the facts loaded (batch, merge) and before the analysis, rewrites
 * every string that can reach an output: the fields of the facts, the
 * member of each evidence, the path of each bundle, and each diagnostic.
 * The analysis then runs on the redacted model and finds what it finds on
 * the original, because
 *   - one value is always one token (names compared without case, as the
 *     pairing by name compares them), and a token stands for one value;
 *   - a host or VM name is cut at its first dot into a name and a domain,
 *     each a token, so the name part pairing compares stays a token of
 *     its own ("pmem-guest-001.lab.example" -> "vm-1.domain-1");
 *   - what the analysis reads of a string's shape is kept: the PMemDS-
 *     prefix of a PMem datastore, vmfs/volumes/, a file's extension and its
 *     "_N" unit, device names (/dev/pmem0, nmem1, nvdimm0:1), UUID=/LABEL=;
 *   - .vmdk, BIOS, SMBIOS and filesystem UUIDs and dimm serials are kept
 *     (they carry no identity and are the mapping), unless ids: then every
 *     byte of them goes through a keyed permutation chosen at random for
 *     the run, one per byte position (the first three UUID fields one per
 *     field, so that the SMBIOS byte swap still relates a guest's UUID to
 *     its VM's), and a serial's bytes through those of the UUID's last
 *     four: a serial still equals its UUID's last four bytes.
 *
 * The table is filled first from the facts that name things (the fact
 * contract's host, VM, guest, datastore names; VM folders and disk file
 * names under vmfs/volumes/; user names under /home; filesystem labels;
 * the host part of esx-HOST-... and sosreport-HOST-... input names), then
 * every text is scanned once for all of those values (a sorted table
 * narrowed a byte at a time, so the work is linear in the text for at most
 * REDACT_VALUE_MAX bytes per value) and for IPv4, IPv6, MAC and e-mail
 * addresses and VMFS volume UUIDs (which end in a MAC). Paths the guest
 * mounts and the input paths themselves have each free-text part replaced
 * where it stands (dir-1/input-2.tgz, /path-1). */
#ifndef PMEMMAP_REDACT_H
#define PMEMMAP_REDACT_H

#include <json-c/json.h>
#include <stdbool.h>

#include "model.h"

/* Longest value looked for in free text; a longer name is still replaced
 * where a fact gives it whole. */
#define REDACT_VALUE_MAX 128
/* Most values looked for in free text; past it, names are still replaced
 * where a fact gives them whole (a warning says so). */
#define REDACT_VALUES_MAX (1u << 20)

struct redactor;

/* ids: replace UUIDs and serials too (--redact-ids). */
struct redactor *redactor_new(bool ids);
void redactor_free(struct redactor *r);

/* Rewrite every string of m that can reach an output and mark m redacted. */
void redact_model(struct redactor *r, struct model *m);

/* An input path, and a message, through the same table (a batch's
 * run.json); the caller frees the result. */
char *redact_input_path(struct redactor *r, const char *path);
char *redact_message(struct redactor *r, const char *text);

/* The table, "pmemmap-redact-map/1": every token with its kind and the
 * value it stands for, in the order they were made. */
struct json_object *redact_map_json(const struct redactor *r, const char *version);
/* That table written to path (--redact-map): mode 0600, atomically, never
 * through a link (output.h). 0, or -1 with the reason in err. */
int redact_map_write(const struct redactor *r, const char *path, const char *version, struct buf *err);

#endif
