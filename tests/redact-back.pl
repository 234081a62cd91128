#!/usr/bin/perl
# redact-back.pl MAP|- JSON [KEY...] - the JSON document (or each line of
# JSON lines) with every token of the --redact-map table MAP read
# back into the value it stands for, in every string; printed canonical
# (sorted keys), holding only KEYs when given, so that it compares with
# the unredacted run's document given with MAP "-" (no table).
# Tokens are replaced longest first, as whole tokens (not inside a longer
# run of letters and digits, nor before a digit), twice: an address's
# token may stand for text that holds a name's token (the addresses are
# replaced after the names).
use strict;
use warnings;
use JSON::PP;

my ($mapfile, $file, @keys) = @ARGV;
my $json = JSON::PP->new->utf8->canonical->pretty;
sub slurp { open(my $fh, '<:raw', $_[0]) or die "$_[0]: $!"; local $/; my $t = <$fh>; close($fh); $t }

my @pairs;
if ($mapfile ne '-') {
	my $map = $json->decode(slurp($mapfile));
	@pairs = sort { length($b->[0]) <=> length($a->[0]) } map { [ $_->{token}, $_->{value} ] } @{ $map->{tokens} };
}
my $re = @pairs ? join('|', map { quotemeta($_->[0]) } @pairs) : undef;
my %value = map { $_->[0] => $_->[1] } @pairs;

sub back {
	my ($s) = @_;
	return $s unless defined $re;
	for (1 .. 2) {
		$s =~ s/(?<![A-Za-z0-9])($re)(?![0-9])/$value{$1}/g;
	}
	return $s;
}

sub walk {
	my ($v) = @_;
	return [ map { walk($_) } @$v ] if ref $v eq 'ARRAY';
	return { map { $_ => walk($v->{$_}) } keys %$v } if ref $v eq 'HASH';
	return $v if !defined $v || ref $v;
	return back($v);
}

my $text = slurp($file);
# one document, or JSON lines (results.jsonl)
my @docs = eval { ($json->decode($text)) };
@docs = map { $json->decode($_) } grep { /\S/ } split /\n/, $text unless @docs;
for my $d (@docs) {
	$d = { map { $_ => $d->{$_} } @keys } if @keys;
	print $json->encode(walk($d));
}
