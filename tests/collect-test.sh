#!/bin/bash
# collect-test.sh PMEMMAP - the collection scripts end to end. The scripts
# `pmemmap collect esxi|guest` prints run under busybox sh and dash
# against stub commands (vmkfstools, esxcli, vmware, vim-cmd, ndctl,
# daxctl, blkid, ...: shell scripts printing the outputs of the example
# bundles in fixtures/bundles) and fake /vmfs, /etc, /proc, /sys and
# /var/log trees (PMEMMAP_COLLECT_ROOT). Their archives must be laid out
# as the rules expect and give, through `pmemmap analyze`, the same
# mapping as the example bundles; the fake host is left untouched, data
# files and VMs without NVDIMMs are not collected, a big log is cut, and
# a guest without ndctl or without root says what is missing. The
# printed scripts are the sources byte for byte and pass shellcheck -s sh.
set -u
BIN=$(realpath "$1")
SRC=${PMEMMAP_SRC:-$(pwd)}
FIX=${PMEMMAP_FIXTURES:-$SRC/build/fixtures}
PMEMDS=PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d
PMEMMNT=pmem:620d5c3e-41a7b2d8-5f1e-a4bf01361b90
DS1MNT=620d5bc4-7c1a2e6f-9b2c-a4bf01361b90
T=$(mktemp -d /tmp/pmemmap-collect-test.XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
# the example bundles, readable by the unprivileged user of the no-root run
# (a clone may sit in a folder only its owner can enter)
cp -r "$SRC/fixtures/bundles" "$T/bundles"
chmod -R a+rX "$T/bundles"
FB=$T/bundles
ESX=$FB/esx-esx01-2026-03-05--10.12-2107676
G1=$FB/sosreport-pmem-guest-001-2026-03-05-kqzvbte
G2=$FB/sosreport-pmem-guest-002-2026-03-05-mhtrwpa
pass=0 fail=0

check() { # check NAME COMMAND...: the command must succeed
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name"
	fi
}

# ---- the scripts as the binary prints them --------------------------------
for s in esxi guest; do
	"$BIN" collect "$s" >"$T/$s.sh"
	check "pmemmap collect $s prints collect/$s.sh byte for byte" cmp "$T/$s.sh" "$SRC/collect/$s.sh"
	check "collect/$s.sh passes shellcheck -s sh" shellcheck -s sh "$T/$s.sh"
done
"$BIN" collect -o "$T/esxi-o.sh" esxi
check "pmemmap collect -o FILE writes the script" cmp "$T/esxi-o.sh" "$SRC/collect/esxi.sh"
"$BIN" collect >/dev/null 2>"$T/err"
check "pmemmap collect without a name: exit 2" test $? = 2
check "pmemmap collect without a name says which" grep -q "esxi.*guest" "$T/err"
"$BIN" collect vcenter >/dev/null 2>&1
check "pmemmap collect with an unknown name: exit 2" test $? = 2

SHELLS=()
command -v busybox >/dev/null && busybox sh -c : 2>/dev/null && SHELLS+=("busybox sh")
command -v dash >/dev/null && SHELLS+=(dash)
if [ ${#SHELLS[@]} = 0 ]; then
	echo "FAIL: neither busybox nor dash installed (scripts/install-deps.sh installs busybox)"
	exit 1
fi

# ---- stubs ---------------------------------------------------------------------
stub() { # stub DIR NAME BODY: an executable DIR/NAME, logging each call
	mkdir -p "$1"
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n%s\n' "$2" "$T" "$3" >"$1/$2"
	chmod 755 "$1/$2"
}
DATE=$(command -v date)
EB=$T/esx-bin
stub "$EB" hostname 'echo esx01.lab.example.com'
stub "$EB" uname "[ \"\$*\" = -a ] && exec cat '$ESX/commands/uname_-a.txt'; exec /bin/uname \"\$@\""
stub "$EB" vmware "[ \"\$*\" = -vl ] && exec cat '$ESX/commands/vmware_-vl.txt'; exit 1"
stub "$EB" df "exec cat '$ESX/commands/df.txt'"
stub "$EB" date "exec '$DATE' -d @1772705561 \"\$@\"" # 2026-03-05 10:12:41 UTC
stub "$EB" esxcli "[ \"\$*\" = 'storage filesystem list' ] && exec cat '$ESX/commands/localcli_storage-filesystem-list.txt'
echo 'Error: Unknown command or namespace' >&2; exit 1"
stub "$EB" vim-cmd "[ \"\$*\" = vmsvc/getallvms ] || exit 1
cat <<'EOF'
Vmid         Name                             File                              Guest OS       Version   Annotation
1      pmem-guest-001   [datastore1] pmem-guest-001/pmem-guest-001.vmx   ubuntu64Guest   vmx-19
2      pmem-guest-002   [datastore1] pmem-guest-002/pmem-guest-002.vmx   ubuntu64Guest   vmx-19
3      web01            [datastore1] web01/web01.vmx                     ubuntu64Guest   vmx-19    front end
                                                                                                  [no NVDIMM]
EOF"
stub "$EB" vmkfstools "[ \"\$1 \$2\" = '-J getuuid' ] && [ \$# = 3 ] || exit 1
if [ ! -f \"\$3\" ]; then echo \"Failed to open '\$3': No such file or directory\" >&2; exit 1; fi
sed -n 's/^ddb\\.uuid = \"\\(.*\\)\"/UUID is \\1/p' \"\$3\""

# ---- a fake ESXi host ---------------------------------------------------------
make_esxroot() { # make_esxroot DIR
	local r=$1 v=$1/vmfs/volumes
	mkdir -p "$v/$DS1MNT" "$v/$PMEMMNT" "$r/etc/vmware/hostd"
	cp -r "$ESX/vmfs/volumes/datastore1/." "$v/$DS1MNT/"
	cp -r "$ESX/vmfs/volumes/$PMEMDS/." "$v/$PMEMMNT/"
	ln -s "$DS1MNT" "$v/datastore1"
	ln -s "$PMEMMNT" "$v/$PMEMDS"
	cp "$ESX/etc/vmware/hostd/vmInventory.xml" "$r/etc/vmware/hostd/"
	# data files, never to be copied (sparse: no space taken)
	truncate -s 100M "$v/$DS1MNT/pmem-guest-001/pmem-guest-001-flat.vmdk" \
		"$v/$PMEMMNT/pmem-guest-001/pmem-guest-001-flat.vmdk" \
		"$v/$PMEMMNT/pmem-guest-001/pmem-guest-001_1-flat.vmdk" \
		"$v/$PMEMMNT/pmem-guest-002/pmem-guest-002-flat.vmdk"
	# a VM without NVDIMMs: not collected
	mkdir -p "$v/$DS1MNT/web01"
	printf 'displayName = "web01"\nscsi0:0.fileName = "web01.vmdk"\n' >"$v/$DS1MNT/web01/web01.vmx"
	echo "2026-03-05T09:00:00.000Z| vmx| I005: Log for VMware ESX" >"$v/$DS1MNT/web01/vmware.log"
	# an old log over 4 MiB: its first 4 MiB are kept
	awk 'BEGIN { for (i = 0; i < 90000; i++) printf "2026-03-01T00:00:%02d.000Z| vmx| I005: filler line %d\n", i % 60, i }' \
		>"$v/$DS1MNT/pmem-guest-002/vmware-1.log"
}
# every name, size, time, link and mode of a tree, and the sums of its
# files but the sparse 100 MiB data files
snapshot() { (cd "$1" && find . -printf '%p %s %T@ %l %m\n' | sort && find . -type f -size -10M -exec sha256sum {} + | sort); }

# ---- fake guests ---------------------------------------------------------------
guest_stubs() { # guest_stubs DIR FIXTURE EPOCH [no-ndctl]
	local d=$1 g=$2 p=$2/sos_commands/pmem
	stub "$d" hostname "exec cat '$g/sos_commands/host/hostname'"
	stub "$d" uname "[ \"\$*\" = -a ] && exec cat '$g/sos_commands/kernel/uname_-a'; exec /bin/uname \"\$@\""
	stub "$d" date "TZ=UTC exec '$DATE' -d @$3 \"\$@\""
	stub "$d" blkid "[ \"\$*\" = '-c /dev/null' ] && exec cat '$g/sos_commands/block/blkid_-c_.dev.null'; exit 2"
	stub "$d" lsblk "[ \"\$*\" = '-O -P' ] && exec cat '$g/sos_commands/block/lsblk_-O_-P'; exit 1"
	stub "$d" dmesg "exec cat '$g/sos_commands/kernel/dmesg'"
	stub "$d" timedatectl "echo '                Time zone: Etc/UTC (UTC, +0000)'"
	[ "${4:-}" = no-ndctl ] && return
	stub "$d" ndctl "case \"\$*\" in
--version) exec cat '$p/ndctl_--version' ;;
'list -vvv') exec cat '$p/ndctl_list_-vvv' ;;
'list -iBDFHMNRX') exec cat '$p/ndctl_list_-iBDFHMNRX' ;;
'read-labels -j all') exec cat '$p/ndctl_read-labels_-j_all' ;;
esac
exit 1"
	stub "$d" daxctl "[ \"\$*\" = 'list -iDR' ] && exec cat '$p/daxctl_list_-iDR'; exit 1"
}
make_guestroot() { # make_guestroot DIR FIXTURE
	local r=$1 g=$2
	mkdir -p "$r/proc" "$r/etc" "$r/sys/class/dmi/id" "$r/var/log"
	cp "$g/proc/mounts" "$r/proc/"
	cp "$g/etc/fstab" "$g/etc/hostname" "$r/etc/"
	cp "$g/var/log/kern.log" "$r/var/log/"
	cp "$g"/sys/devices/virtual/dmi/id/* "$r/sys/class/dmi/id/"
}

# run_script SHELL SCRIPT BINDIR ROOT OUTDIR [PREFIX...]: the archive's path in $T/got
run_script() {
	local sh=$1 script=$2 bin=$3 root=$4 out=$5
	shift 5
	mkdir -p "$out"
	chmod 777 "$out"
	# shellcheck disable=SC2086
	env PATH="$bin:$PATH" PMEMMAP_COLLECT_ROOT="$root" "$@" $sh "$script" -d "$out" >"$T/got" 2>"$T/stderr"
}

# project: the mapping of an analyze JSON report, without evidence and bundle names
project() {
	jq -S '[.cases[] | {vm: .vm.name, host: .vm.host, bios: .vm.bios_uuid, guest: .guest.hostname,
		system_uuid: .guest.system_uuid, paired_by,
		devices: [.devices[] | {slot, vmdk, vmdk_uuid, serial, nmem, dimm_id, region, namespaces,
			size_host, size_guest, status, confidence}]}]' "$1"
}
"$BIN" analyze --quiet --format json "$FIX/esx-esx01-2026-03-05--10.12-2107676.tgz" \
	"$FIX/sosreport-pmem-guest-001-2026-03-05-kqzvbte.tar.xz" \
	"$FIX/sosreport-pmem-guest-002-2026-03-05-mhtrwpa.tar.xz" >"$T/ref.json"
project "$T/ref.json" >"$T/ref.map"
check "the reference maps 3 devices" test "$(jq '[.[].devices[]] | length' "$T/ref.map")" = 3

# unpack ARCHIVE: its top folder, unpacked beside it
unpack() {
	mkdir -p "$1.d" && tar -xzf "$1" -C "$1.d" && echo "$1.d/$(tar -tzf "$1" | head -n 1 | cut -d/ -f1)"
}
# the kernel lines the guest script keeps, as it says
KPAT=$(sed -n "s/^KPAT='\(.*\)'\$/\1/p" "$SRC/collect/guest.sh")
check "the guest script's kernel-line pattern found" test -n "$KPAT"

# every command of the system but ndctl and daxctl, for a guest without them
mkdir -p "$T/sys-bin"
for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
	ln -s "$d"/* "$T/sys-bin/" 2>/dev/null # the first of each name stays
done
rm -f "$T/sys-bin/ndctl" "$T/sys-bin/daxctl"

n=0
for SH in "${SHELLS[@]}"; do
	n=$((n + 1))
	W=$T/run$n
	echo "== $SH"
	# --- the host
	make_esxroot "$W/esxroot"
	before=$(snapshot "$W/esxroot")
	: >"$T/calls"
	run_script "$SH" "$T/esxi.sh" "$EB" "$W/esxroot" "$W/out-esx"
	check "$SH esxi: exit 0" test $? = 0
	esx=$(cat "$T/got")
	check "$SH esxi: prints the archive's path" test -f "$esx"
	check "$SH esxi: named like a vm-support bundle" grep -qE '/esx-esx01-2026-03-05--10\.12-[0-9]+\.tgz$' "$T/got"
	check "$SH esxi: nothing else left in the output folder" test "$(ls -A "$W/out-esx")" = "${esx##*/}"
	check "$SH esxi: the host's files untouched" test "$before" = "$(snapshot "$W/esxroot")"
	check "$SH esxi: only read-only commands run" \
		test -z "$(sed 's/ *$//' "$T/calls" | grep -vE '^(hostname|uname -a|vmware -vl|date .*|df|esxcli storage filesystem list|vim-cmd vmsvc/getallvms|vmkfstools -J getuuid /.*\.vmdk)$')"
	tar -tzvf "$esx" >"$W/list"
	top=$(basename "$esx" .tgz)
	x=$(unpack "$esx")
	for m in README pmemmap-collect.txt commands/vmware_-vl.txt commands/uname_-a.txt commands/df.txt \
		commands/localcli_storage-filesystem-list.txt commands/vmkfstools_-J_getuuid.txt \
		etc/vmware/hostd/vmInventory.xml \
		vmfs/volumes/datastore1/pmem-guest-001/pmem-guest-001.vmx vmfs/volumes/datastore1/pmem-guest-001/vmware.log \
		vmfs/volumes/datastore1/pmem-guest-001/vmware-1.log vmfs/volumes/datastore1/pmem-guest-002/pmem-guest-002.vmx \
		vmfs/volumes/$PMEMDS/pmem-guest-001/pmem-guest-001.vmdk vmfs/volumes/$PMEMDS/pmem-guest-001/pmem-guest-001_1.vmdk \
		vmfs/volumes/$PMEMDS/pmem-guest-002/pmem-guest-002.vmdk; do
		check "$SH esxi: the archive holds $m" grep -q " $top/$m\$" "$W/list"
	done
	for m in vmfs/volumes/datastore1/pmem-guest-001/pmem-guest-001.vmx vmfs/volumes/$PMEMDS/pmem-guest-001/pmem-guest-001_1.vmdk; do
		check "$SH esxi: $m copied as it is" cmp "$x/$m" "$ESX/$m"
	done
	check "$SH esxi: no data file (-flat.vmdk)" test "$(grep -c -- '-flat\.vmdk$' "$W/list")" = 0
	check "$SH esxi: no VM without NVDIMMs" test "$(grep -c web01 "$W/list")" = 0
	check "$SH esxi: the log over 4 MiB cut to 4 MiB" \
		test "$(wc -c <"$x/vmfs/volumes/datastore1/pmem-guest-002/vmware-1.log")" = 4194304
	check "$SH esxi: no member over 4 MiB" test "$(awk '$3 > 4194304' "$W/list" | wc -l)" = 0
	check "$SH esxi: the log says what was cut" grep -q "first 4194304 bytes.*vmware-1.log" "$x/pmemmap-collect.txt"
	check "$SH esxi: getuuid of each PMem .vmdk, after its path" \
		test "$(grep -c '^UUID is ' "$x/commands/vmkfstools_-J_getuuid.txt")" = 3
	check "$SH esxi: README's collection time" grep -qx 'Captured on: 2026-03-05 10:12:41' "$x/README"

	# --- the guests
	for i in 1 2; do
		g=$G1 epoch=1772706665 # 10:31:05
		[ $i = 2 ] && g=$G2 epoch=1772707102 # 10:38:22
		guest_stubs "$W/g$i-bin" "$g" $epoch
		make_guestroot "$W/g${i}root" "$g"
		run_script "$SH" "$T/guest.sh" "$W/g$i-bin" "$W/g${i}root" "$W/out-g$i"
		check "$SH guest $i: exit 0" test $? = 0
		gz=$(cat "$T/got")
		eval "guest$i=\$gz"
		check "$SH guest $i: named like a sosreport" grep -qE "/sosreport-pmem-guest-00$i-2026-03-05-[a-z]{7}\.tar\.gz\$" "$T/got"
		x=$(unpack "$gz")
		for m in sos_commands/pmem/ndctl_list_-vvv sos_commands/pmem/ndctl_list_-iBDFHMNRX sos_commands/pmem/ndctl_--version \
			sos_commands/pmem/ndctl_read-labels_-j_all sos_commands/pmem/daxctl_list_-iDR \
			sos_commands/block/blkid_-c_.dev.null sos_commands/block/lsblk_-O_-P sos_commands/host/hostname \
			sos_commands/kernel/uname_-a proc/mounts etc/fstab; do
			check "$SH guest $i: $m as sos has it" cmp "$x/$m" "$g/$m"
		done
		check "$SH guest $i: product_uuid" cmp "$x/sys/class/dmi/id/product_uuid" \
			"$g/sys/devices/virtual/dmi/id/product_uuid"
		check "$SH guest $i: date --utc" grep -q '^Thu Mar  5 10:3.:.. UTC 2026$' "$x/sos_commands/date/date_--utc"
		check "$SH guest $i: the kernel's NVDIMM lines of kern.log, and only those" \
			cmp "$x/var/log/kern.log" <(grep -E "$KPAT" "$g/var/log/kern.log")
		check "$SH guest $i: the kernel's NVDIMM lines of dmesg" \
			cmp "$x/sos_commands/kernel/dmesg" <(grep -E "$KPAT" "$g/sos_commands/kernel/dmesg")
	done

	# --- the archives map the example VMs exactly
	"$BIN" analyze --quiet --format json "$esx" "$guest1" "$guest2" >"$W/got.json"
	check "$SH analyze on the collected archives: exit 0" test $? = 0
	project "$W/got.json" >"$W/got.map"
	check "$SH analyze: the same mapping as the example bundles" cmp "$T/ref.map" "$W/got.map"
	diff "$T/ref.map" "$W/got.map" | head -20
	check "$SH analyze: the same findings" test "$(jq -c '[.findings[].code] | sort' "$T/ref.json")" = \
		"$(jq -c '[.findings[].code] | sort' "$W/got.json")"
	check "$SH analyze: read as vm-support and sosreports" test "$(jq -c '[.inputs[].kind]' "$W/got.json")" = \
		'["vm-support","sosreport","sosreport"]'

	# --- descriptors too big to be descriptors: the getuuid listing maps them
	make_esxroot "$W/esxroot2"
	for f in "$W/esxroot2/vmfs/volumes/$PMEMMNT"/*/*[0-9].vmdk; do
		awk 'BEGIN { for (i = 0; i < 2000; i++) printf "# padding line %d, to pass 64 KiB\n", i }' >>"$f"
	done
	run_script "$SH" "$T/esxi.sh" "$EB" "$W/esxroot2" "$W/out-esx2"
	esx2=$(cat "$T/got")
	check "$SH esxi, big descriptors: no descriptor copied" test "$(tar -tzf "$esx2" | grep -c "$PMEMDS/.*\.vmdk")" = 0
	check "$SH esxi, big descriptors: the log says so" grep -q "not a descriptor" "$(unpack "$esx2")/pmemmap-collect.txt"
	"$BIN" analyze --quiet --format json "$esx2" "$guest1" "$guest2" >"$W/got2.json"
	check "$SH analyze, getuuid listing: exit 0" test $? = 0
	project "$W/got2.json" >"$W/got2.map"
	check "$SH analyze, getuuid listing: the same mapping" cmp "$T/ref.map" "$W/got2.map"
	check "$SH analyze, getuuid listing: the listing is the evidence" \
		jq -e '[.cases[].devices[].evidence[] | select(.member == "commands/vmkfstools_-J_getuuid.txt")] | length == 3' "$W/got2.json"

	# --- a command that hangs is stopped; the rest still maps
	stub "$W/hang-bin" vim-cmd 'exec sleep 30'
	start=$(date +%s)
	run_script "$SH" "$T/esxi.sh" "$W/hang-bin:$EB" "$W/esxroot" "$W/out-esx3" env PMEMMAP_COLLECT_CMD_SECS=2
	check "$SH esxi, vim-cmd hangs: exit 0" test $? = 0
	check "$SH esxi, vim-cmd hangs: stopped after 2 s" grep -q "stopped after 2 s: vim-cmd vmsvc/getallvms" "$T/stderr"
	check "$SH esxi, vim-cmd hangs: done within 10 s" test $(($(date +%s) - start)) -lt 10
	esx3=$(cat "$T/got")
	stub "$W/hang-bin" ndctl "[ \"\$*\" = 'list -vvv' ] && exec sleep 30; exec '$W/g1-bin/ndctl' \"\$@\""
	start=$(date +%s)
	run_script "$SH" "$T/guest.sh" "$W/hang-bin:$W/g1-bin" "$W/g1root" "$W/out-g3" env PMEMMAP_COLLECT_CMD_SECS=2
	check "$SH guest, ndctl list -vvv hangs: exit 0" test $? = 0
	check "$SH guest, ndctl list -vvv hangs: says so" grep -q "ndctl list -vvv did not finish in 2 s" "$T/stderr"
	g3=$(cat "$T/got")
	check "$SH guest, ndctl list -vvv hangs: its output not kept" test "$(tar -tzf "$g3" | grep -c 'ndctl_list_-vvv')" = 0
	check "$SH guest, ndctl list -vvv hangs: done within 10 s" test $(($(date +%s) - start)) -lt 10
	"$BIN" analyze --quiet --format json "$esx3" "$g3" "$guest2" >"$W/got3.json"
	project "$W/got3.json" >"$W/got3.map"
	check "$SH analyze after the hangs: the same mapping (the inventory names the VMs)" cmp "$T/ref.map" "$W/got3.map"

	# --- a guest without ndctl: the rest, and a note
	guest_stubs "$W/gn-bin" "$G1" 1772706665 no-ndctl
	run_script "$SH" "$T/guest.sh" "$W/gn-bin:$T/sys-bin" "$W/g1root" "$W/out-gn" env PATH="$W/gn-bin:$T/sys-bin"
	check "$SH guest without ndctl: exit 0" test $? = 0
	gn=$(cat "$T/got")
	x=$(unpack "$gn")
	check "$SH guest without ndctl: no sos_commands/pmem output" test "$(tar -tzf "$gn" | grep -c 'sos_commands/pmem/.')" = 0
	check "$SH guest without ndctl: says so on stderr" grep -q "ndctl is not installed" "$T/stderr"
	check "$SH guest without ndctl: says so in the archive" \
		grep -q "NOT COLLECTED: ndctl is not installed" "$x/pmemmap-collect.txt"
	check "$SH guest without ndctl: the rest collected" test -s "$x/etc/fstab"
	"$BIN" analyze --quiet --format json "$esx" "$gn" >"$W/gn.json"
	check "$SH analyze, guest without ndctl: evidence-missing names the script" \
		jq -e '.cases[0].findings | map(select(.code == "evidence-missing")) | length == 1' "$W/gn.json"

	# --- a guest without root: what it could not read, said
	make_guestroot "$W/gproot" "$G1"
	if [ "$(id -u)" = 0 ]; then
		chmod 0400 "$W/gproot/sys/class/dmi/id/product_uuid" "$W/gproot/sys/class/dmi/id/product_serial"
		run_script "$SH" "$T/guest.sh" "$W/g1-bin" "$W/gproot" "$W/out-gp" setpriv --reuid=65534 --regid=65534 --clear-groups
	else
		chmod 000 "$W/gproot/sys/class/dmi/id/product_uuid" "$W/gproot/sys/class/dmi/id/product_serial"
		run_script "$SH" "$T/guest.sh" "$W/g1-bin" "$W/gproot" "$W/out-gp"
	fi
	check "$SH guest without root: exit 0" test $? = 0
	gp=$(cat "$T/got")
	x=$(unpack "$gp")
	check "$SH guest without root: says what it could not read on stderr" grep -q "cannot read /sys/class/dmi/id/product_uuid" "$T/stderr"
	check "$SH guest without root: and in the archive" \
		grep -q "NOT COLLECTED: cannot read /sys/class/dmi/id/product_serial" "$x/pmemmap-collect.txt"
	check "$SH guest without root: the ndctl output still collected" \
		cmp "$x/sos_commands/pmem/ndctl_list_-vvv" "$G1/sos_commands/pmem/ndctl_list_-vvv"
done

echo "collect: $pass passed, $fail failed"
[ $fail = 0 ]
