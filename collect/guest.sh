#!/bin/sh
# pmemmap collect guest - what pmemmap needs from a Linux guest to map its
# nmem, region, namespace, pmem and dax devices and their filesystems to
# the host's vPMem .vmdk files, in one archive laid out like a sosreport
# (sosreport-HOST-YYYY-MM-DD-xxxxxxx.tar.gz), which `pmemmap analyze` reads
# as a guest bundle.
#
# Get it with `pmemmap collect guest > collect.sh`, copy it into the VM and
# run `sudo sh collect.sh` there (any POSIX sh). It prints the archive's
# path when done.
#
#   sh collect.sh [-d DIR]
#     -d DIR  where the archive and the working folder go (default /tmp)
#
# What it collects, and nothing else: ndctl --version, ndctl list -vvv and
# -iBDFHMNRX, ndctl read-labels -j all (where it works), daxctl list -iDR,
# blkid, lsblk -O -P, /proc/mounts, /etc/fstab, the SMBIOS system UUID and
# serial (/sys/class/dmi/id), the host name, uname -a, the time and its
# zone, and the kernel's NVDIMM lines (nfit, nd_pmem, dax, ...) of dmesg
# and of the kernel log or journal. Without ndctl it still collects the
# rest and says so; without root it collects what it can read and says
# what it could not (on stderr and in pmemmap-collect.txt in the archive).
# It writes only into its own working folder under DIR (removed at the
# end) and the archive; every command stops after 60 s.
#
# PMEMMAP_COLLECT_ROOT (default empty) is put before every file path the
# script reads (/proc, /sys, /etc, /var/log), for testing it against a
# copy of a guest's files.
set -u
umask 077
LC_ALL=C
export LC_ALL

SCRIPT="pmemmap collect guest, script version 1"
ROOT=${PMEMMAP_COLLECT_ROOT:-}
DIR=/tmp
MAX_TEXT=4194304        # any one output or file: its first 4 MiB
KLINES=10000            # kernel lines kept from each log: the last ones
CMD_SECS=${PMEMMAP_COLLECT_CMD_SECS:-60}             # any one command
# the kernel's lines about NVDIMMs, namespaces, dax and their filesystems
KPAT='nfit|nd_pmem|libnvdimm|nvdimm|NVDIMM|ndbus[0-9]|nmem[0-9]|pmem[0-9]|dax[0-9]|dax_pmem|region[0-9]|persistent \(type|Persistent Memory|Linux version'

usage() {
	cat <<EOF
usage: sh collect.sh [-d DIR]
Collect what pmemmap needs to map this guest's NVDIMM devices to the
host's vPMem .vmdk files, into DIR/sosreport-HOST-DATE-xxxxxxx.tar.gz
(DIR: default /tmp). Run it as root to collect everything.
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

HOST=$(hostname 2>/dev/null) || HOST=""
[ -n "$HOST" ] || HOST=$(cat "$ROOT/etc/hostname" 2>/dev/null) || HOST=""
[ -n "$HOST" ] || HOST=unknown
SHORT=$(printf '%s' "${HOST%%.*}" | tr -c 'A-Za-z0-9_-' '_')
RAND=$(awk -v p="$$" 'BEGIN { srand(); srand(srand() + p); for (i = 0; i < 7; i++) printf "%c", 97 + int(rand() * 26) }')
TOP="sosreport-$SHORT-$(date +%Y-%m-%d)-$RAND"
WORK="$DIR/pmemmap-collect.$$"
OUT="$DIR/$TOP.tar.gz"
B="$WORK/$TOP"
LOG="$B/pmemmap-collect.txt"
UID_NOW=$(id -u 2>/dev/null) || UID_NOW=unknown

mkdir "$WORK" || { echo "pmemmap-collect: cannot make $WORK" >&2; exit 2; }
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$B" || exit 2

note() { printf '%s\n' "$*" >>"$LOG"; }
# Something that could not be collected: on stderr and in the archive.
missed() {
	printf 'pmemmap-collect: %s\n' "$*" >&2
	note "NOT COLLECTED: $*"
}

# The size of a file in bytes, without reading it (only field 5 is used).
# shellcheck disable=SC2012
fsize() {
	stat -L -c %s "$1" 2>/dev/null ||
		{ ls -lnL "$1" 2>/dev/null || ls -ln "$1" 2>/dev/null; } | awk '{ print $5; exit }'
}

# cap FILE: keep its first MAX_TEXT bytes.
cap() {
	c_size=$(fsize "$1")
	if [ "${c_size:-0}" -gt "$MAX_TEXT" ]; then
		dd if="$1" of="$WORK/cut" bs=65536 count=$((MAX_TEXT / 65536)) 2>/dev/null
		mv "$WORK/cut" "$1"
		note "cut to its first $MAX_TEXT bytes: ${1#"$B"/} ($c_size bytes)"
	fi
}

# run_to FILE CMD...: CMD's output into FILE, its errors into the log,
# its input /dev/null, stopped after CMD_SECS seconds. Its exit status,
# or 124 when stopped.
run_to() {
	rt_out=$1
	shift
	rm -f "$WORK/stopped"
	"$@" >"$rt_out" 2>"$WORK/stderr" </dev/null &
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
	[ -e "$WORK/stopped" ] && rt_rc=124
	if [ -s "$WORK/stderr" ]; then
		note "  its errors ($*):"
		head -n 20 "$WORK/stderr" | sed 's/^/    /' >>"$LOG"
	fi
	cap "$rt_out"
	return "$rt_rc"
}

# cmd PATH CMD...: a command's output as PATH in the bundle (sos's name).
cmd() {
	c_path=$1
	shift
	mkdir -p "$B/${c_path%/*}"
	note "command: $* > $c_path"
	run_to "$B/$c_path" "$@"
	c_rc=$?
	[ "$c_rc" -eq 0 ] && return 0
	[ "$c_rc" -eq 124 ] && missed "$* did not finish in $CMD_SECS s"
	note "  exit status $c_rc"
	return "$c_rc"
}

# cmd_ok PATH CMD...: as cmd, but the output is kept only when the command
# succeeds (sos_commands/pmem/ lists which ndctl outputs were collected).
cmd_ok() {
	if ! cmd "$@"; then
		rm -f "$B/$1"
		note "  (not kept)"
		return 1
	fi
}

# put FILE: copy the guest file FILE to the same path in the bundle.
put() {
	if [ ! -e "$ROOT$1" ]; then
		note "not found: $1"
		return 1
	fi
	mkdir -p "$B$(dirname "$1")"
	# cat, not dd: /proc and /sys files come in short reads
	if ! cat "$ROOT$1" >"$B$1" 2>"$WORK/stderr"; then
		rm -f "$B$1"
		missed "cannot read $1 ($(head -n 1 "$WORK/stderr"))"
		return 1
	fi
	cap "$B$1"
	note "copied: $1"
}

# klog_file FILE: the kernel's NVDIMM lines of a log file, the last KLINES.
klog_file() {
	mkdir -p "$B$(dirname "$1")"
	if grep -E "$KPAT" "$ROOT$1" 2>"$WORK/stderr" | tail -n "$KLINES" >"$B$1" && [ -s "$B$1" ]; then
		note "copied the kernel's NVDIMM lines of $1 (grep -E '$KPAT')"
		return 0
	fi
	rm -f "$B$1"
	if [ -s "$WORK/stderr" ]; then
		missed "cannot read $1 ($(head -n 1 "$WORK/stderr"))"
	else
		note "no NVDIMM line in $1"
	fi
	return 1
}

# klog_cmd PATH CMD...: the same of a command's output.
klog_cmd() {
	k_path=$1
	shift
	if ! command -v "$1" >/dev/null 2>&1; then
		note "not installed: $1"
		return 1
	fi
	cmd "$k_path" "$@"
	k_rc=$?
	grep -E "$KPAT" "$B/$k_path" | tail -n "$KLINES" >"$WORK/klines"
	mv "$WORK/klines" "$B/$k_path"
	note "  kept the kernel's NVDIMM lines (grep -E '$KPAT')"
	if [ "$k_rc" -ne 0 ] && [ ! -s "$B/$k_path" ]; then
		rm -f "$B/$k_path"
		missed "$* failed (exit status $k_rc$([ "$UID_NOW" = 0 ] || echo '; not root'))"
		return 1
	fi
}

# --- the run ---------------------------------------------------------------------
{
	echo "$SCRIPT"
	echo "Started: $(date -u '+%Y-%m-%d %H:%M:%S') UTC"
	echo "Hostname: $HOST"
	echo "User id: $UID_NOW"
	[ -z "$ROOT" ] || echo "Root: $ROOT (PMEMMAP_COLLECT_ROOT)"
	echo
} >"$LOG"
echo "pmemmap-collect: collecting into $WORK" >&2
if [ "$UID_NOW" != 0 ]; then
	missed "not run as root: the SMBIOS UUID and serial, blkid's probe of each device, ndctl read-labels and dmesg may be unreadable; run it with sudo to collect them"
fi

# identity and time
cmd sos_commands/host/hostname hostname
put /etc/hostname
cmd sos_commands/kernel/uname_-a uname -a
cmd sos_commands/date/date date
cmd sos_commands/date/date_--utc date --utc || cmd sos_commands/date/date_--utc date -u
if command -v timedatectl >/dev/null 2>&1; then
	cmd sos_commands/systemd/timedatectl timedatectl
else
	note "not installed: timedatectl"
fi
put /etc/timezone
for f in product_uuid product_serial sys_vendor product_name; do
	put "/sys/class/dmi/id/$f"
done

# NVDIMM devices
mkdir -p "$B/sos_commands/pmem"
if command -v ndctl >/dev/null 2>&1; then
	cmd_ok sos_commands/pmem/ndctl_--version ndctl --version
	cmd_ok sos_commands/pmem/ndctl_list_-vvv ndctl list -vvv
	cmd_ok sos_commands/pmem/ndctl_list_-iBDFHMNRX ndctl list -iBDFHMNRX
	cmd_ok sos_commands/pmem/ndctl_read-labels_-j_all ndctl read-labels -j all ||
		note "  (read-labels fails on label-less vNVDIMMs, and without root: not needed for the mapping)"
else
	missed "ndctl is not installed: no nmem ids, regions or namespaces; the mapping needs them. Install ndctl (apt-get install ndctl, dnf install ndctl, zypper install ndctl) and run this again"
fi
if command -v daxctl >/dev/null 2>&1; then
	cmd_ok sos_commands/pmem/daxctl_list_-iDR daxctl list -iDR
else
	note "not installed: daxctl (only devdax namespaces need it)"
fi

# filesystems and mounts
if command -v blkid >/dev/null 2>&1; then
	cmd sos_commands/block/blkid_-c_.dev.null blkid -c /dev/null
	if [ ! -s "$B/sos_commands/block/blkid_-c_.dev.null" ] && [ "$UID_NOW" != 0 ]; then
		missed "blkid printed nothing: it needs root to read the devices"
	fi
else
	missed "blkid is not installed: filesystem UUIDs and labels"
fi
if command -v lsblk >/dev/null 2>&1; then
	cmd sos_commands/block/lsblk_-O_-P lsblk -O -P
else
	note "not installed: lsblk"
fi
put /proc/mounts
put /etc/fstab

# the kernel's NVDIMM lines: dmesg, then the kernel log or the journal
klog_cmd sos_commands/kernel/dmesg dmesg
kl=""
for f in /var/log/kern.log /var/log/messages; do
	[ -n "$kl" ] && break
	[ -e "$ROOT$f" ] || continue
	klog_file "$f" && kl=$f
done
if [ -z "$kl" ]; then
	klog_cmd sos_commands/logs/journalctl_--no-pager_-k_-o_short-iso journalctl --no-pager -k -o short-iso -n 100000 ||
		note "no kernel log read but dmesg"
fi

echo >>"$LOG"
echo "Finished: $(date -u '+%Y-%m-%d %H:%M:%S') UTC" >>"$LOG"
(cd "$WORK" && tar -czf "$OUT.part" "$TOP") || {
	echo "pmemmap-collect: cannot write $OUT" >&2
	rm -f "$OUT.part"
	exit 1
}
mv "$OUT.part" "$OUT" || exit 1
echo "pmemmap-collect: done; give pmemmap this archive: $OUT" >&2
echo "$OUT"
