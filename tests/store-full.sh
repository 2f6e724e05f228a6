#!/bin/sh
# store-full.sh - a data directory on a small file system filled by imports.
#
# On a 64 MB ext4 loop image and on a 20 MB tmpfs (twice, the second
# time with a restart before space is freed): imports until the
# reserve refuses one (exit 75, a message naming the directory, the free
# space and the reserve), then with the reserve off until the disk itself
# is full.  No process may die of a signal (SIGBUS was the old failure:
# the region files were sparse), every import that said so must be there
# whole and every other one absent, and ncenctl verify, recover and
# db5.3_verify must be clean; once a filler file is deleted, the next
# import succeeds without any manual recovery.  Needs root (mount).

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh" || exit 99

[ "$(id -u)" -eq 0 ] || skip_all "not root: cannot mount a small file system"
command -v db5.3_verify >/dev/null 2>&1 ||
	skip_all "db5.3_verify not installed (apt-get install db5.3-util)"
command -v mkfs.ext4 >/dev/null 2>&1 || skip_all "mkfs.ext4 not installed"

FORMS=$top_builddir/forms
ROWS=2000
mounts=""

# A result from a status: check NAME STATUS (0 passes).
check() {
	tap_result "$2" "$1"
}

tap_cleanup='for m in $mounts; do umount "$m" 2>/dev/null; done'

# A CSV of people whose names carry a batch tag: batch TAG [ROWS].
batch() {
	awk -v p="$1" -v n="${2:-$ROWS}" 'BEGIN {
		print "family_name,given_names,remarks"
		for (i = 0; i < n; i++)
			printf "%s_%d,Given%d,%s remarks remarks remarks " \
			    "remarks remarks remarks remarks remarks\n", \
			    p, i, i, p
	}'
}

# How many rows of a batch are stored: stored DIR TAG.
stored() {
	ncenctl -d "$1" export person 2>/dev/null | grep -c ",$2_[0-9]*,"
}

# Fill, refuse, overfill, free and check one mounted file system: fill
# NAME MOUNTPOINT RESERVE [reboot].  With "reboot", the shared memory
# a failed checkpoint kept is removed before space is freed, as a
# restart of the machine would: the next open recovers from the log.
fill() {
	fs=$1 M=$2 reserve=$3 reboot=${4:-}
	D=$M/data
	ok "$fs: init" ncenctl -d "$D" init --forms "$FORMS" || return
	echo "$reserve" >"$D/reserve"
	ok "$fs: no region files on disk" sh -c \
	    "ncenctl -d '$D' stats >/dev/null && ! ls '$D'/__db.00[1-9] 2>/dev/null"
	# A filler leaves about 24 MB (ext4) or 12 MB (tmpfs) to fill.
	avail=$(df -Pk "$M" | awk 'NR == 2 { print $4 }')
	keep=$((avail > 40000 ? 24000 : 12000))
	fallocate -l $(((avail - keep) * 1024)) "$M/filler" ||
		dd if=/dev/zero of="$M/filler" bs=1k count=$((avail - keep)) \
		    2>/dev/null
	committed="" refused="" failed="" signalled=0 i=0 st=0
	while [ $i -lt 30 ]; do
		i=$((i + 1))
		batch "$fs$i" >"$T/b.csv"
		ncenctl -d "$D" import person "$T/b.csv" >"$T/imp" 2>&1
		st=$?
		[ $st -gt 128 ] && signalled=$((signalled + 1))
		case $st in
		0) committed="$committed $fs$i" ;;
		75) refused="$refused $fs$i"; break ;;
		*) failed="$failed $fs$i"; break ;;
		esac
	done
	check "$fs: the reserve refused an import (exit $st, want 75)" \
	    "$([ $st -eq 75 ]; echo $?)"
	cp "$T/imp" "$T/out"
	has "$fs: the refusal names the directory" "$D:"
	has "$fs: the refusal says the disk is nearly full" "disk"
	has "$fs: the refusal names the reserve" "reserve of"
	has "$fs: the refusal says nothing changed" "nothing was changed"
	check "$fs: some imports went in before" \
	    "$([ -n "$committed" ]; echo $?)"
	# Below the reserve (NCEN_RESERVE overrides DIR/reserve), even one
	# row is refused; reading goes on.
	printf 'family_name\nOne\n' >"$T/one.csv"
	free=$(df -Pk "$M" | awk 'NR == 2 { print $4 }')
	NCEN_RESERVE=$((free + 1024))K fails_with 75 "$fs: one row is refused" \
	    ncenctl -d "$D" import person "$T/one.csv"
	has "$fs: the refusal says the disk is nearly full" "nearly full"
	check "$fs: the refused row is absent" \
	    "$(ncenctl -d "$D" export person 2>/dev/null | grep -c ',One,')"
	ok "$fs: reading goes on below the reserve" ncenctl -d "$D" stats

	# The reserve off: imports until the disk itself is full.
	j=0
	while [ $j -lt 30 ]; do
		j=$((j + 1)); i=$((i + 1))
		batch "$fs$i" >"$T/b.csv"
		NCEN_RESERVE=0 ncenctl -d "$D" import person "$T/b.csv" \
		    >"$T/imp" 2>&1
		st=$?
		[ $st -gt 128 ] && signalled=$((signalled + 1))
		if [ $st -eq 0 ]; then
			committed="$committed $fs$i"
		else
			failed="$failed $fs$i"
			break
		fi
	done
	sed 's/^/# full: /' "$T/imp" | head -5
	check "$fs: the full disk failed an import (exit $st)" \
	    "$([ $st -ne 0 ]; echo $?)"
	check "$fs: no process died of a signal (SIGBUS)" "$signalled"

	# A checkpoint the full disk failed at close leaves committed pages
	# in the shared cache only: the next process recovers them from the
	# log (and with "reboot", the cache is gone before that).
	if [ -f "$D/checkpoint.pending" ]; then
		echo "# $fs: a checkpoint was owed: the next open recovers"
		if [ -n "$reboot" ]; then
			echo "# $fs: its shared memory removed (a restart)"
			tap_shm_clean "$M"
		fi
	fi
	rm -f "$M/filler"
	# An import now succeeds: no recover by hand.
	i=$((i + 1))
	batch "$fs$i" 100 >"$T/b.csv"
	ok "$fs: an import once space is freed" \
	    ncenctl -d "$D" import person "$T/b.csv"
	check "$fs: its rows are there" \
	    "$([ "$(stored "$D" "$fs$i")" -eq 100 ]; echo $?)"
	bad=0
	for b in $committed; do
		n=$(stored "$D" "$b")
		[ "$n" -eq $ROWS ] || { echo "# $b: $n of $ROWS"; bad=1; }
	done
	check "$fs: every committed import is whole" "$bad"
	bad=0
	for b in $refused; do
		n=$(stored "$D" "$b")
		[ "$n" -eq 0 ] || { echo "# $b: $n rows kept"; bad=1; }
	done
	check "$fs: refused imports left nothing" "$bad"
	# An import that met the full disk itself is whole or absent (one
	# that committed may still have failed its checkpoint at close).
	bad=0
	for b in $failed; do
		n=$(stored "$D" "$b")
		[ "$n" -eq 0 ] || [ "$n" -eq $ROWS ] ||
			{ echo "# $b: $n of $ROWS rows"; bad=1; }
	done
	check "$fs: imports that met the full disk are whole or absent" "$bad"
	ok "$fs: ncenctl verify" ncenctl -d "$D" verify
	ok "$fs: ncenctl recover" ncenctl -d "$D" recover
	ok "$fs: db5.3_verify on every database" sh -c "cd '$D' &&
	    for f in *.db *.idx; do db5.3_verify -q \"\$f\" || exit 1; done"
	ok "$fs: stats after recover" ncenctl -d "$D" stats
	ok "$fs: the journal of a failed import is gone" \
	    sh -c "! ls '$D'/import-*.journal 2>/dev/null"
}

# ext4 on a loop device, when there is one.
if losetup -f >/dev/null 2>&1; then
	mkdir -p "$T/ext4"
	truncate -s 64M "$T/ext4.img" && mkfs.ext4 -q "$T/ext4.img" &&
	    mount -o loop "$T/ext4.img" "$T/ext4" && mounts="$T/ext4"
	if [ -n "$mounts" ]; then
		fill ext4 "$T/ext4" 8M
		umount "$T/ext4" && mounts=""
	else
		tap_result 1 "mount a 64 MB ext4 loop image"
	fi
else
	echo "# no loop device: tmpfs only"
fi

mkdir -p "$T/tmpfs"
if mount -t tmpfs -o size=20m tmpfs "$T/tmpfs"; then
	mounts="$mounts $T/tmpfs"
	fill tmpfs "$T/tmpfs" 4M
	umount "$T/tmpfs" && mounts=${mounts% *}
else
	tap_result 1 "mount a 20 MB tmpfs"
fi

# Again, the kept cache lost to a restart before space is freed.
mkdir -p "$T/reboot"
if mount -t tmpfs -o size=20m tmpfs "$T/reboot"; then
	mounts="$mounts $T/reboot"
	fill reboot "$T/reboot" 4M reboot
else
	tap_result 1 "mount a 20 MB tmpfs"
fi
finish
