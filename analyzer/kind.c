/* kind.c - bundle kinds by name (kind.h). */
#include "kind.h"

#include <stddef.h>
#include <string.h>

const char *kind_name(enum bundle_kind k)
{
	switch (k) {
	case KIND_VMSUPPORT: return "vm-support";
	case KIND_SOSREPORT: return "sosreport";
	case KIND_TRANSCRIPT: return "transcript";
	case KIND_ANY: return "any";
	default: return "unknown";
	}
}

bool kind_parse(const char *s, enum bundle_kind *k)
{
	static const enum bundle_kind all[] = { KIND_VMSUPPORT, KIND_SOSREPORT, KIND_TRANSCRIPT, KIND_ANY };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(s, kind_name(all[i])) == 0) {
			*k = all[i];
			return true;
		}
	}
	return false;
}
