#!/bin/sh
# tests/pkg.sh - the release tarball and the Debian package built from it.
#
# make dist into the scratch directory: the tarball holds every file of
# the checkout (the README's quick start, .ci/, debian/ included), and
# the quick start's sh .ci/demo builds and starts ncen from it; then
# dpkg-buildpackage -us -uc in another copy (without the package
# build's own tests: .ci/check runs them all), the package's contents,
# lintian, the programs of the package run from a dpkg -x copy (the
# README's quick start steps, ncen in tmux), and the postinst run in a
# private mount namespace over a copy of /etc and an empty /var/lib, so
# that the account and directory it makes never reach this machine.
# About four minutes on two cores (two builds).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

for tool in dpkg-buildpackage dh lintian fakeroot dpkg-deb; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip_all "$tool is not installed (sh .ci/deps test)"
done
. "$top_srcdir/tests/ui-lib.sh"
unset NCEN_HOME NCEN_KEYFILE
version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' \
	"$top_builddir/config.h")
src=$T/ncen-$version

# The tarball.
# (distdir must stay relative: po/ copies into ../$(distdir).)
ok "make dist" make -C "$top_builddir" dist &&
	mv "$top_builddir/ncen-$version.tar.gz" "$src.tar.gz" ||
	{ echo "Bail out! make dist failed"; exit 1; }
tar -tzf "$src.tar.gz" | sed "s|^ncen-$version/||; /\/\$/d" | sort \
	>"$T/in-tarball"
for f in .ci/demo .ci/check .ci/build .ci/deps .ci/run debian/rules \
    debian/control configure Makefile.in README contrib/icomm.in; do
	grep -qx "$f" "$T/in-tarball"
	tap_result $? "the tarball has $f"
done
# Every file of the checkout is in it, but the ignore file.
if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top_srcdir" ls-files | grep -v '^\.gitignore$' | sort \
		>"$T/in-git"
	comm -23 "$T/in-git" "$T/in-tarball" >"$T/out"
	[ ! -s "$T/out" ]
	tap_result $? "every file of the checkout is in the tarball"
	sed 's/^/# missing: /' "$T/out" | head -20
fi

# The README's first command in the unpacked tarball: it builds in
# build/, makes the demo database and starts ncen on it.
mkdir "$T/qs" && tar -xzf "$src.tar.gz" -C "$T/qs"
ui_start qs -e LC_ALL=C -- sh "$T/qs/ncen-$version/.ci/demo"
ui_wait qs "Main menu" 600
tap_result $? "sh .ci/demo in the unpacked tarball builds and starts ncen"
has "on the demo database" "Cases"
ui_keys qs C-x
ui_gone qs
tap_result $? "and ncen signs out"
rm -rf "$T/qs"

# The package, from the unpacked tarball.
mkdir "$T/deb" && tar -xzf "$src.tar.gz" -C "$T/deb"
(cd "$T/deb/ncen-$version" &&
	DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc) \
	>"$T/build.log" 2>&1
tap_result $? "dpkg-buildpackage -us -uc in the unpacked tarball"
deb=$(ls "$T/deb"/ncen_"$version"_*.deb 2>/dev/null | head -1)
changes=$(ls "$T/deb"/ncen_"$version"_*.changes 2>/dev/null | head -1)
if [ -z "$deb" ] || [ -z "$changes" ]; then
	tail -40 "$T/build.log" | sed 's/^/# /'
	echo "Bail out! no package was built"
	exit 1
fi

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$T/files"
for f in /usr/bin/ncen /usr/sbin/ncenctl /usr/sbin/ncen-icomm \
    /usr/libexec/ncen/icomm /usr/libexec/ncen/ncen-session \
    /usr/share/ncen/forms/case.form \
    /usr/share/ncen/forms/country.codes /usr/share/ncen/forms/stats.queries \
    /usr/share/man/man1/ncen.1.gz /usr/share/man/man5/ncen-forms.5.gz \
    /usr/share/man/man5/ncen-dump.5.gz /usr/share/man/man5/ncen-batch.5.gz \
    /usr/share/man/man5/ncen-queries.5.gz /usr/share/man/man5/ncen-rules.5.gz \
    /usr/share/man/man8/ncenctl.8.gz \
    /usr/share/man/man8/ncen-icomm.8.gz \
    /usr/share/locale/fr/LC_MESSAGES/ncen.mo \
    /usr/share/doc/ncen/examples/ncen-icomm.service \
    /usr/share/doc/ncen/examples/ncen-server.service \
    /usr/share/doc/ncen/examples/lighttpd-icomm.conf \
    /usr/share/doc/ncen/copyright; do
	grep -qx "$f" "$T/files"
	tap_result $? "the package has $f"
done
! grep -q '^/usr/bin/ncenctl$\|^/usr/bin/ncen-icomm$\|^/usr/local' "$T/files"
tap_result $? "nothing in /usr/bin but ncen, nothing under /usr/local"
dpkg-deb -f "$deb" Depends >"$T/out"
has "it depends on adduser (the postinst)" "adduser"
has "and on Berkeley DB 5.3" "libdb5.3"

ok "lintian finds no error or warning" \
	lintian --fail-on error,warning "$changes"
sed 's/^/# lintian: /' "$T/out" | head -20

# The programs of the package, from a copy of its files.
R=$T/root
dpkg-deb -x "$deb" "$R"
for p in usr/bin/ncen usr/sbin/ncenctl usr/sbin/ncen-icomm; do
	ok "$p --version" "$R/$p" --version
	has "$p is $version" "${p##*/} $version"
done
grep -qx "exec /usr/sbin/ncen-icomm \"\$@\"" "$R/usr/libexec/ncen/icomm"
tap_result $? "the CGI receiver runs the installed ncen-icomm"
D=$T/data
ok "quick start: ncenctl init with the installed forms" \
	"$R/usr/sbin/ncenctl" -d "$D" init --forms "$R/usr/share/ncen/forms"
ok "quick start: ncenctl demo" "$R/usr/sbin/ncenctl" -d "$D" demo \
	--cases 50 --seed 1
ok "quick start: an account" "$R/usr/sbin/ncenctl" -d "$D" user add demo \
	--roles analyst
ok "ncenctl verify" "$R/usr/sbin/ncenctl" -d "$D" verify
ui_start pkg -e NCEN_LOCALEDIR="$R/usr/share/locale" \
	-e LC_ALL=fr_FR.UTF-8 -- "$R/usr/bin/ncen" -d "$D" --as demo
ui_wait pkg "Menu principal"
tap_result $? "the installed ncen shows its main menu, in French"
has "the installed forms' labels" "Moyens de transport"
ui_keys pkg C-x
ui_gone pkg
tap_result $? "and signs out"

# The postinst, in a private mount namespace over copies of /etc and
# /var/lib: it makes the account and the data directory, twice safely.
P=$T/ns
mkdir -p "$P/etc" "$P/varlib" && cp -a /etc/. "$P/etc/" &&
	touch "$P/etc/ncen-test-copy" && dpkg-deb -e "$deb" "$P/control"
tap_result $? "a copy of /etc and the package's scripts"
if command -v unshare >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] &&
    unshare -m true 2>/dev/null; then
	cat >"$P/run.sh" <<-SCRIPT
	set -e
	mount --bind "$P/etc" /etc
	mount --bind "$P/varlib" /var/lib
	# Only ever on the copies.
	[ -f /etc/ncen-test-copy ] || exit 99
	sh "$P/control/postinst" configure
	sh "$P/control/postinst" configure "$version"
	getent passwd ncen
	stat -c '%n %a %U %G' /var/lib/ncen /var/lib/ncen/db
	SCRIPT
	unshare -m --propagation private sh "$P/run.sh" >"$T/out" 2>&1
	tap_result $? "the postinst runs, and runs again on an upgrade"
	sed 's/^/# /' "$T/out"
	grep -q '^ncen:[^:]*:[0-9]*:[0-9]*:[^:]*:/var/lib/ncen:/bin/sh$' "$T/out"
	tap_result $? "the account ncen: home /var/lib/ncen, shell /bin/sh"
	has "the data directory is the account's alone" \
		"/var/lib/ncen/db 700 ncen ncen"
	has "the home is not for others" "/var/lib/ncen 750 ncen ncen"
	! grep -q '^ncen:' /etc/passwd && [ ! -e /var/lib/ncen ]
	tap_result $? "nothing of it reached this machine"
else
	echo "ok $((tap_n + 1)) # SKIP the postinst: not root, or no unshare"
	tap_n=$((tap_n + 1))
fi
finish
