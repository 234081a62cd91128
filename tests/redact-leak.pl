#!/usr/bin/perl
# redact-leak.pl VALUES OUTPUT... - print "OUTPUT: VALUE" for each value
# (one per line in VALUES) that appears in an output, as a word of its own
# (not inside a longer run of letters and digits, as --redact replaces
# them) and in any case, raw or as a report escapes it: a backslash before
# punctuation (Markdown, JSON) or an HTML character reference in its place.
# Values of fewer than 3 bytes, or with control characters or U+FFFD (what
# the model makes of bytes that are not UTF-8), are not looked for: they
# would be found in any text, or are not the bytes a report prints.
use strict;
use warnings;

my ($values, @outputs) = @ARGV;
open(my $vf, '<:raw', $values) or die "$values: $!";
my %seen;
my @vals = grep { length($_) >= 3 && !/[\x00-\x1f\x7f]|\xef\xbf\xbd/ && !$seen{lc $_}++ }
	map { chomp; $_ } <$vf>;
close($vf);

my @res;
for my $v (@vals) {
	my $re = join '', map {
		/[A-Za-z0-9\x80-\xff]/ ? quotemeta($_) : '(?:\\\\{0,2}' . quotemeta($_) . '|&#?\w+;)'
	} split //, $v;
	push @res, [ $v, qr/(?<![A-Za-z0-9])$re(?![A-Za-z0-9])/i ];
}
my $found = 0;
for my $f (@outputs) {
	open(my $fh, '<:raw', $f) or die "$f: $!";
	local $/;
	my $text = <$fh>;
	close($fh);
	for my $r (@res) {
		next unless $text =~ $r->[1];
		print "$f: $r->[0]\n";
		$found++;
	}
}
exit($found ? 1 : 0);
