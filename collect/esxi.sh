#!/bin/sh
# pmemmap collect esxi - what pmemmap needs from an ESXi host to map each
# vPMem .vmdk to the guest's devices, in one archive laid out like a
# vm-support bundle (esx-HOST-YYYY-MM-DD--HH.MM-PID.tgz), which
# `pmemmap analyze` reads as a host bundle.
#
# Get it with `pmemmap collect esxi > collect.sh`, copy it to the host and
# run `sh collect.sh` there as root (the ESXi shell's busybox sh; no
# Python, no bash). It prints the archive's path when done.
#
#   sh collect.sh [-d DIR]
#     -d DIR  where the archive and the working folder go (default /tmp;
#             a datastore such as /vmfs/volumes/datastore1 has more room)
#
# What it collects, and nothing else:
#   - for each registered VM with NVDIMMs (vim-cmd vmsvc/getallvms and
#     /etc/vmware/hostd/vmInventory.xml name the .vmx files): its .vmx and
#     vmware*.log files (each log cut after its first 4 MiB);
#   - for each .vmdk on a PMem datastore and each .vmdk an nvdimm fileName
#     names: its descriptor (a small text file; never the data file) and
#     the output of vmkfstools -J getuuid;
#   - esxcli storage filesystem list, df, vmware -vl, uname -a, the host
#     name and the UTC time; vmInventory.xml.
# It only reads on the host: it writes into its own working folder under
# DIR (removed at the end) and the archive. Every command stops after 60 s,
# the whole run after 10 minutes; files over their limit are left out and
# pmemmap-collect.txt in the archive says so.
#
# PMEMMAP_COLLECT_ROOT (default empty) is put before every file path the
# script reads (/vmfs, /etc), for testing it against a copy of a host's
# files; the paths recorded in the archive are the host's own.
set -u
umask 077

SCRIPT="pmemmap collect esxi, script version 1"
ROOT=${PMEMMAP_COLLECT_ROOT:-}
DIR=/tmp
MAX_TEXT=1048576        # a .vmx, vmInventory.xml: larger ones are left out
MAX_DESC=65536          # a descriptor is a small text file
MAX_LOG=4194304         # each vmware*.log: its first 4 MiB
MAX_LOGS=67108864       # all logs together
MAX_VMS=1000            # .vmx files looked at
MAX_VMDKS=2000          # .vmdk files looked at
CMD_SECS=${PMEMMAP_COLLECT_CMD_SECS:-60}             # any one command
RUN_SECS=600            # the whole run

usage() {
	cat <<EOF
usage: sh collect.sh [-d DIR]
Collect what pmemmap needs to map this ESXi host's vPMem .vmdk files to
guest devices, into DIR/esx-HOST-DATE--HH.MM-PID.tgz (DIR: default /tmp).
Read-only on the host; about a minute; the archive is small.
EOF
}

while [ $# -gt 0 ]; do
	case $1 in
	-d)
		[ $# -ge 2 ] || { echo "pmemmap-collect: -d needs a folder" >&2; exit 2; }
		DIR=$2
		shift 2
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		echo "pmemmap-collect: unknown argument '$1' (sh collect.sh [-d DIR])" >&2
		exit 2
		;;
	esac
done
if [ ! -d "$DIR" ] || [ ! -w "$DIR" ]; then
	echo "pmemmap-collect: $DIR is not a writable folder" >&2
	exit 2
fi
DIR=$(cd "$DIR" && pwd) || exit 2

START=$(date +%s)
START_UTC=$(date -u '+%Y-%m-%d %H:%M:%S')
DEADLINE=$((START + RUN_SECS))
HOST=$(hostname 2>/dev/null) || HOST=""
[ -n "$HOST" ] || HOST=unknown
SHORT=$(printf '%s' "${HOST%%.*}" | tr -c 'A-Za-z0-9_-' '_')
TOP="esx-$SHORT-$(date -u +%Y-%m-%d--%H.%M)-$$"
WORK="$DIR/pmemmap-collect.$$"
OUT="$DIR/$TOP.tgz"
B="$WORK/$TOP"
LOG="$B/pmemmap-collect.txt"

mkdir "$WORK" || { echo "pmemmap-collect: cannot make $WORK" >&2; exit 2; }
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$B/commands" || exit 2

note() { printf '%s\n' "$*" >>"$LOG"; }
warn() {
	printf 'pmemmap-collect: %s\n' "$*" >&2
	note "warning: $*"
}

# The size of a file in bytes (following a link), without reading it
# (busybox find has no -printf; the file name is not parsed, only field 5).
# shellcheck disable=SC2012
fsize() {
	stat -L -c %s "$1" 2>/dev/null ||
		{ ls -lnL "$1" 2>/dev/null || ls -ln "$1" 2>/dev/null; } | awk '{ print $5; exit }'
}

# run_to FILE CMD...: CMD's output and errors into FILE, its input
# /dev/null, stopped after CMD_SECS seconds (busybox may lack timeout);
# its exit status, or 124 when stopped or skipped.
run_to() {
	rt_out=$1
	shift
	if [ "$(date +%s)" -ge "$DEADLINE" ]; then
		note "skipped (the run is over its $RUN_SECS s): $*"
		: >"$rt_out"
		return 124
	fi
	rm -f "$WORK/stopped"
	"$@" >"$rt_out" 2>&1 </dev/null &
	rt_pid=$!
	# the watchdog, ended by KILL when the command is done: a TERM can be
	# lost while a subshell starts, a KILL cannot
	(
		rt_i=0
		while [ "$rt_i" -lt "$CMD_SECS" ]; do
			sleep 1
			kill -0 "$rt_pid" 2>/dev/null || exit 0
			rt_i=$((rt_i + 1))
		done
		: >"$WORK/stopped"
		kill "$rt_pid" 2>/dev/null
		sleep 2
		kill -9 "$rt_pid" 2>/dev/null
	) </dev/null >/dev/null 2>&1 &
	rt_dog=$!
	wait "$rt_pid"
	rt_rc=$?
	kill -9 "$rt_dog" 2>/dev/null
	wait "$rt_dog" 2>/dev/null
	if [ -e "$WORK/stopped" ]; then
		warn "stopped after $CMD_SECS s: $*"
		return 124
	fi
	[ "$rt_rc" -eq 0 ] || note "exit status $rt_rc: $*"
	return "$rt_rc"
}

# cmd NAME CMD...: a command's output as commands/NAME, as vm-support names it.
cmd() {
	c_name=$1
	shift
	note "command: $* > commands/$c_name"
	run_to "$B/commands/$c_name" "$@"
	c_size=$(fsize "$B/commands/$c_name")
	if [ "${c_size:-0}" -gt "$MAX_TEXT" ]; then
		dd if="$B/commands/$c_name" of="$WORK/cut" bs=65536 count=$((MAX_TEXT / 65536)) 2>/dev/null
		mv "$WORK/cut" "$B/commands/$c_name"
		note "cut to its first $MAX_TEXT bytes: commands/$c_name ($c_size bytes)"
	fi
}

# put SRC DEST MAX: copy the host file SRC (a path on the host) to DEST in
# the bundle, unless it is larger than MAX bytes.
put() {
	p_src="$ROOT$1"
	if [ ! -f "$p_src" ]; then
		note "not found: $1"
		return 1
	fi
	p_size=$(fsize "$p_src")
	if [ -z "$p_size" ] || [ "$p_size" -gt "$3" ]; then
		note "left out: $1 (${p_size:-unknown} bytes, over $3)"
		return 1
	fi
	if ! { mkdir -p "$B/${2%/*}" && cp "$p_src" "$B/$2"; }; then
		warn "cannot copy $1"
		return 1
	fi
	note "copied: $1 -> $2"
}

# --- the datastores: "mount<TAB>name<TAB>type" per line ---------------------
TAB=$(printf '\t')
datastores() {
	awk -v OFS="$TAB" '$1 ~ /^\/vmfs\/volumes\// && NF >= 7 {
		name = $2
		for (i = 3; i <= NF - 5; i++) name = name " " $i
		print $1, name, $(NF - 2)
	}' "$B/commands/localcli_storage-filesystem-list.txt" >"$WORK/ds"
	# the default name of a PMem datastore, should esxcli have failed
	for d in "$ROOT"/vmfs/volumes/PMemDS-*; do
		[ -d "$d" ] || continue
		n=${d##*/}
		grep -qF "$TAB$n$TAB" "$WORK/ds" || printf '%s\t%s\t%s\n' "/vmfs/volumes/$n" "$n" PMEM >>"$WORK/ds"
	done
}

# A host path as the bundle holds it: /vmfs/volumes/<uuid>/x and
# /vmfs/volumes/<name>/x both become vmfs/volumes/<name>/x. Nothing for a
# path outside /vmfs/volumes or one with a ".." part.
bundle_path() {
	case $1 in
	/vmfs/volumes/*/*) ;;
	*) return 1 ;;
	esac
	case /$1/ in */../* | */./*) return 1 ;; esac
	bp_rest=${1#/vmfs/volumes/}
	bp_vol=${bp_rest%%/*}
	bp_name=$(awk -F "$TAB" -v v="$bp_vol" '{ n = $1; sub(/.*\//, "", n) } n == v && $2 !~ /\// { print $2; exit }' "$WORK/ds")
	printf 'vmfs/volumes/%s/%s\n' "${bp_name:-$bp_vol}" "${bp_rest#*/}"
}

# --- the VMs -----------------------------------------------------------------
vmx_list() {
	# "[datastore1] vm/vm.vmx" in vim-cmd's listing; absolute paths in the inventory
	sed -n 's/^[0-9][0-9]*[[:space:]].*\[\([^]]*\)\] \(.*\.vmx\)\([[:space:]].*\)\{0,1\}$/\/vmfs\/volumes\/\1\/\2/p' \
		"$B/commands/vim-cmd_vmsvc-getallvms.txt"
	if [ -f "$B/etc/vmware/hostd/vmInventory.xml" ]; then
		sed -n 's/.*<vmxCfgPath>[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*<\/vmxCfgPath>.*/\1/p' \
			"$B/etc/vmware/hostd/vmInventory.xml" |
			sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/'"'"'/g; s/&amp;/\&/g'
	fi
}

# The NVDIMM backing files a .vmx names (nvdimmC:U.fileName), as host paths.
nvdimm_files() {
	nf_dir=${1%/*}
	sed -n 's/^[[:space:]]*[Nn][Vv][Dd][Ii][Mm][Mm][0-9]*:[0-9]*\.[Ff][Ii][Ll][Ee][Nn][Aa][Mm][Ee][[:space:]]*=[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' \
		"$ROOT$1" | while IFS= read -r nf; do
		case $nf in
		/*) printf '%s\n' "$nf" ;;
		?*) printf '%s\n' "$nf_dir/$nf" ;;
		esac
	done
}

logs_total=0
vm_collect() {
	vx=$1
	vx_b=$(bundle_path "$vx") || { note "not under /vmfs/volumes, skipped: $vx"; return; }
	# once per .vmx, by whichever name (datastore label or UUID) it came
	grep -qxF "$vx_b" "$WORK/done" 2>/dev/null && return
	printf '%s\n' "$vx_b" >>"$WORK/done"
	[ -f "$ROOT$vx" ] || { note "registered but not found: $vx"; return; }
	vx_size=$(fsize "$ROOT$vx")
	[ "${vx_size:-0}" -le "$MAX_TEXT" ] || { note "left out: $vx ($vx_size bytes)"; return; }
	if ! grep -qi '^[[:space:]]*nvdimm[0-9]*:[0-9]*\.' "$ROOT$vx"; then
		note "no NVDIMM, not collected: $vx"
		return
	fi
	put "$vx" "$vx_b" "$MAX_TEXT"
	nvdimm_files "$vx" >>"$WORK/vmdks"
	for lg in "$ROOT${vx%/*}"/vmware*.log; do
		[ -f "$lg" ] || continue
		lg=${lg#"$ROOT"}
		lg_b="${vx_b%/*}/${lg##*/}"
		lg_size=$(fsize "$ROOT$lg")
		lg_size=${lg_size:-0}
		[ "$lg_size" -le "$MAX_LOG" ] || lg_size=$MAX_LOG
		if [ $((logs_total + lg_size)) -gt "$MAX_LOGS" ]; then
			note "left out (all logs over $MAX_LOGS bytes): $lg"
			continue
		fi
		logs_total=$((logs_total + lg_size))
		if [ "$lg_size" -lt "$MAX_LOG" ]; then
			put "$lg" "$lg_b" "$MAX_LOG"
		else
			dd if="$ROOT$lg" of="$B/$lg_b" bs=65536 count=$((MAX_LOG / 65536)) 2>/dev/null
			note "copied its first $MAX_LOG bytes: $lg -> $lg_b"
		fi
	done
}

# --- the .vmdk files -----------------------------------------------------------
pmem_vmdks() {
	awk -F "$TAB" '$3 == "PMEM" { print $1 "\t" $2 }' "$WORK/ds" | while IFS="$TAB" read -r mnt name; do
		note "PMem datastore: $name ($mnt)"
		for f in "$ROOT$mnt"/*.vmdk "$ROOT$mnt"/*/*.vmdk; do
			[ -f "$f" ] || continue
			f=${f#"$ROOT$mnt"/}
			printf '/vmfs/volumes/%s/%s\n' "$name" "$f"
		done
	done
}

# A name that is a data extent, never a descriptor.
is_extent() {
	case $1 in
	*-flat.vmdk | *-delta.vmdk | *-sesparse.vmdk | *-ctk.vmdk | *-rdm.vmdk | *-rdmp.vmdk | *-s[0-9][0-9][0-9].vmdk) return 0 ;;
	esac
	return 1
}

vmdk_collect() {
	vd=$1
	is_extent "$vd" && return
	vd_b=$(bundle_path "$vd") || { note "not under /vmfs/volumes, skipped: $vd"; return; }
	# one per file, however many names lead to it
	grep -qxF "$vd_b" "$WORK/done" 2>/dev/null && return
	printf '%s\n' "$vd_b" >>"$WORK/done"
	[ -f "$ROOT$vd" ] || { note "not found: $vd"; return; }
	vd_size=$(fsize "$ROOT$vd")
	# its first 21 bytes only: a data file may hold no line end for gigabytes
	if [ -n "$vd_size" ] && [ "$vd_size" -le "$MAX_DESC" ] &&
		[ "$(dd if="$ROOT$vd" bs=21 count=1 2>/dev/null)" = "# Disk DescriptorFile" ]; then
		put "$vd" "$vd_b" "$MAX_DESC"
	else
		note "not a descriptor (${vd_size:-unknown} bytes), not copied: $vd"
	fi
	# the path as the bundle names it, then what vmkfstools says of it
	printf '/%s\n' "$vd_b" >>"$B/commands/vmkfstools_-J_getuuid.txt"
	run_to "$WORK/uuid" vmkfstools -J getuuid "$ROOT$vd"
	cat "$WORK/uuid" >>"$B/commands/vmkfstools_-J_getuuid.txt"
}

# --- the run ---------------------------------------------------------------------
{
	echo "$SCRIPT"
	echo "Started: $START_UTC UTC"
	echo "Hostname: $HOST"
	[ -z "$ROOT" ] || echo "Root: $ROOT (PMEMMAP_COLLECT_ROOT)"
	echo
} >"$LOG"
echo "pmemmap-collect: collecting into $WORK" >&2

cmd vmware_-vl.txt vmware -vl
cmd uname_-a.txt uname -a
cmd hostname.txt hostname
cmd date_-u.txt date -u
cmd localcli_storage-filesystem-list.txt esxcli storage filesystem list
cmd df.txt df
cmd vim-cmd_vmsvc-getallvms.txt vim-cmd vmsvc/getallvms
put /etc/vmware/hostd/vmInventory.xml etc/vmware/hostd/vmInventory.xml "$MAX_TEXT"
datastores

: >"$WORK/vmdks"
vmx_list | sort -u | head -n "$MAX_VMS" >"$WORK/vmx"
while IFS= read -r v; do vm_collect "$v"; done <"$WORK/vmx"
pmem_vmdks >>"$WORK/vmdks"
: >"$B/commands/vmkfstools_-J_getuuid.txt"
head -n "$MAX_VMDKS" "$WORK/vmdks" >"$WORK/vmdks.cut"
while IFS= read -r v; do vmdk_collect "$v"; done <"$WORK/vmdks.cut"
[ "$(awk 'END { print NR }' "$WORK/vmdks")" -le "$MAX_VMDKS" ] || warn "only the first $MAX_VMDKS .vmdk files were looked at"

{
	echo
	echo "Finished: $(date -u '+%Y-%m-%d %H:%M:%S') UTC, $(($(date +%s) - START)) s"
} >>"$LOG"
cat >"$B/README" <<EOF
Captured on: $START_UTC
Hostname: $HOST

This archive was made by $SCRIPT,
not by vm-support; it is laid out like a vm-support bundle for pmemmap.
pmemmap-collect.txt lists every command run and every file copied or
left out.
EOF

(cd "$WORK" && tar -czf "$OUT.part" "$TOP") || { warn "cannot write $OUT"; rm -f "$OUT.part"; exit 1; }
mv "$OUT.part" "$OUT" || exit 1
echo "pmemmap-collect: done; give pmemmap this archive: $OUT" >&2
echo "$OUT"
