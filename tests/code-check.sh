#!/bin/bash
# code-check.sh OBJDIR - the shape the code keeps (docs/hacking.md):
#  - no function of analyzer/*.c is longer than 100 lines (from its
#    opening line to its closing brace);
#  - the files of analyzer/ call each other in one direction only: file A
#    depends on file B when A's object uses a symbol B's object defines
#    (nm), and no chain of such dependencies comes back to where it began.
set -u
SRC=${PMEMMAP_SRC:-$(pwd)}
OBJ=${1:-$SRC/build/obj}
fail=0

# function lengths: a definition starts at column 0 with a name and '(',
# its body opens with '{' alone at column 0 and closes with '}' alone
long=$(perl -ne '
	if (/^[A-Za-z_].*\(/ && !/;\s*$/) { $name = $_; $start = $.; chomp $name; }
	if (/^\{\s*$/ && defined $name) { $open = $start; }
	if (/^\}\s*$/ && defined $open) {
		my $len = $. - $open + 1;
		print "$ARGV:$open: $len lines: $name\n" if $len > 100;
		undef $open; undef $name;
	}
	close ARGV if eof;
' "$SRC"/analyzer/*.c)
if [ -n "$long" ]; then
	echo "FAIL: functions over 100 lines:"
	echo "$long"
	fail=1
fi

# the call graph between files, from the objects' symbol tables
if ! ls "$OBJ"/*.o >/dev/null 2>&1; then
	echo "code-check: no objects in $OBJ (build first)"
	exit 2
fi
cycles=$(for o in "$OBJ"/*.o; do
	f=$(basename "$o" .o)
	nm "$o" | awk -v f="$f" '$1 == "U" { print f, "U", $2 } NF == 3 && $2 ~ /^[TDBR]$/ { print f, "D", $3 }'
done | perl -e '
	my (%def, %use, %edge);
	while (<>) { my ($f, $k, $s) = split; if ($k eq "D") { $def{$s} = $f } else { push @{$use{$f}}, $s } }
	for my $f (keys %use) { for my $s (@{$use{$f}}) { my $d = $def{$s}; $edge{$f}{$d} = $s if defined $d && $d ne $f } }
	# depth-first search for a back edge; print each circle found once
	my (%state, @stack, %seen);
	sub visit { my $n = shift; $state{$n} = 1; push @stack, $n;
		for my $m (sort keys %{$edge{$n} || {}}) {
			if (($state{$m} // 0) == 1) {
				my @c = @stack[(grep { $stack[$_] eq $m } 0..$#stack)[0] .. $#stack];
				my $key = join " ", sort @c;
				print join(" -> ", @c, $m), " (", join(", ", map { "$c[$_] uses $edge{$c[$_]}{$c[$_+1] // $m}" } 0..$#c), ")\n" unless $seen{$key}++;
			} elsif (!$state{$m}) { visit($m) }
		}
		pop @stack; $state{$n} = 2; }
	visit($_) for sort keys %edge;
')
if [ -n "$cycles" ]; then
	echo "FAIL: files of analyzer/ that call each other in a circle:"
	echo "$cycles"
	fail=1
fi
n=$(ls "$SRC"/analyzer/*.c | wc -l)
[ $fail = 0 ] && echo "code-check: $n files, every function within 100 lines, no circle among them"
exit $fail
