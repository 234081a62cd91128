#!/usr/bin/perl
# mutate.pl - mutation testing for pmemmap (`make mutate`, docs/testing.md).
#
# One operator change at a time in the lines of analyzer/ that decide
# results, each in a copy of the tree (never in place): the copy is
# rebuilt (only the mutated file recompiles) and `make fast` runs there.
# A mutant the suite fails is killed; one it passes survived: a test is
# missing, or the mutant is equivalent (then list it, with the reason, in
# tests/mutate-equivalent.txt).
#
# Operators: cmp (== <-> !=, < <-> <=, > <-> >=, < <-> >), neg (if (c) ->
# if (!(c)), while likewise), logic (&& <-> ||), const (an integer
# constant +1 / -1 in a comparison, arithmetic or a return), del (a call
# or assignment statement replaced by ";", or "{ }" as the whole body of an
# if, else or loop), swap (the two arguments of a call). Candidate lines
# are sampled with a fixed seed, stratified by file; each sampled line
# gets one mutant, chosen by the seed among that line's mutations (the
# next one if it does not compile).
#
# Settings (environment; `make mutate` passes its variables through):
#   MUTANTS=130        how many lines to mutate
#   MUTATE_SEED=1      the sample and the choice on each line
#   MUTATE_FILES=...   the sources to mutate (analyzer/x.c or x.c)
#   MUTATE_ONLY=f:l    replay the mutant of one line (f:l:N: its Nth mutation;
#                      several separated by commas)
#   MUTATE_MIN=85      exit 1 when the kill rate is below this percentage
#   MUTATE_JOBS=2      mutants at a time, one tree copy each
#   MUTATE_LIST=1      only list every mutation of the files, run nothing
# Output: the summary and survivors on stdout; every mutant and its outcome
# in build/mutate/report.txt (a replay: replay.txt); build and suite logs in
# build/mutate/logs/. Trees: build/mutate/base (the snapshot, built once),
# build/mutate/treeK (where mutants run), build/mutate/fixtures (a copy of
# the main tree's packed fixtures, taken at the start).
# Exit 0 when the run completed (1 below MUTATE_MIN, 2 when it could not
# run: the unmutated copy fails its suite, bad settings).
use strict;
use warnings;
use Cwd qw(getcwd);
use Digest::MD5 qw(md5_hex);
use File::Path qw(make_path remove_tree);
use POSIX qw(:sys_wait_h setpgid);
use Time::HiRes qw(time sleep);

$| = 1;
my $ROOT = getcwd();
die "mutate.pl: run from the top of the pmemmap tree\n" unless -f "$ROOT/Makefile" && -d "$ROOT/analyzer";

my @DEFAULT_FILES = map { "analyzer/$_.c" }
	qw(correlate timeline ndctl extract ingest uuid report_md report_json report_html report batch);
my $N       = env_int('MUTANTS', 130);
my $SEED    = env_str('MUTATE_SEED', '1');
my $JOBS    = env_int('MUTATE_JOBS', 2);
my $MIN     = env_str('MUTATE_MIN', '');
my $ONLY    = env_str('MUTATE_ONLY', '');
my $LIST    = env_str('MUTATE_LIST', '');
my $FACTOR  = 3;                                       # timeout: this times the baseline
my @FILES   = map { norm_file($_) } split ' ', env_str('MUTATE_FILES', "@DEFAULT_FILES");
my $EQFILE  = "tests/mutate-equivalent.txt";
my $REPORT  = $ONLY ne '' ? 'replay.txt' : 'report.txt';    # a replay keeps the last full report
my $W       = "$ROOT/build/mutate";
my $FIXMAIN = $ENV{PMEMMAP_FIXTURES} || "$ROOT/build/fixtures";    # packed by make fixtures
my $FIX     = "$W/fixtures";                                       # what the mutants read
my @COPY    = qw(analyzer rules tests fixtures docs scripts collect completion Makefile README.md);
die "mutate.pl: MUTATE_MIN must be a number\n" if $MIN ne '' && $MIN !~ /^\d+(\.\d+)?$/;
die "mutate.pl: MUTATE_JOBS must be at least 1\n" if $JOBS < 1;
for (@FILES) { die "mutate.pl: no such source: $_\n" unless -f "$ROOT/$_" }

# the tree copies run make themselves: nothing of an outer make leaks in
delete @ENV{qw(MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES PMEMMAP_SRC PMEMMAP_CASES_SAN)};
$ENV{PMEMMAP_CASES_FAILFAST} = 1;

sub env_str { my ($k, $d) = @_; my $v = $ENV{$k}; return defined $v && $v ne '' ? $v : $d }
sub env_int {
	my $v = env_str(@_);
	die "mutate.pl: $_[0] must be a whole number\n" unless $v =~ /^\d+$/;
	return $v + 0;
}
sub norm_file { my $f = shift; $f =~ s{^\./}{}; return $f =~ m{/} ? $f : "analyzer/$f" }
sub norm_text { my $s = shift; $s =~ s/\s+/ /g; $s =~ s/^ | $//g; return $s }
sub trim { my $s = shift; $s =~ s/^\s+|\s+$//g; return $s }
sub slurp { my $f = shift; open(my $fh, '<', $f) or die "mutate.pl: $f: $!\n"; local $/; my $s = <$fh>; return $s }
sub spew { my ($f, $s) = @_; open(my $fh, '>', $f) or die "mutate.pl: $f: $!\n"; print $fh $s; close($fh) or die "mutate.pl: $f: $!\n" }
sub hnum { no warnings "portable"; return hex(substr(md5_hex(join("\0", @_)), 0, 12)) }

# ---- finding the mutations -------------------------------------------------

# The lines of a C file with comments blanked and the insides of string and
# character literals masked ("SSS", 'C'), columns unchanged; which lines
# are preprocessor lines; the ( ) depth at each line's start.
sub mask_c {
	my ($text) = @_;
	my @lines = split /\n/, $text, -1;
	pop @lines if @lines && $lines[-1] eq '';
	my (@masked, @pp, @depth);
	my ($in_comment, $pp_cont, $depth) = (0, 0, 0);
	for my $line (@lines) {
		my @c = split //, $line;
		my $is_pp = $pp_cont;
		if (!$is_pp && !$in_comment && $line =~ /^\s*#/) { $is_pp = 1 }
		push @depth, $depth;
		my $i = 0;
		while ($i < @c) {
			if ($in_comment) {
				if ($c[$i] eq '*' && $i + 1 < @c && $c[$i + 1] eq '/') { $c[$i] = $c[$i + 1] = ' '; $i += 2; $in_comment = 0; next }
				$c[$i++] = ' ';
				next;
			}
			my $ch = $c[$i];
			if ($ch eq '/' && $i + 1 < @c && $c[$i + 1] eq '*') { $c[$i] = $c[$i + 1] = ' '; $i += 2; $in_comment = 1; next }
			if ($ch eq '/' && $i + 1 < @c && $c[$i + 1] eq '/') { $c[$_] = ' ' for $i .. $#c; last }
			if ($ch eq '"' || $ch eq "'") {
				my $fill = $ch eq '"' ? 'S' : 'C';
				$i++;
				while ($i < @c && $c[$i] ne $ch) {
					if ($c[$i] eq '\\' && $i + 1 < @c) { $c[$i] = $fill; $i++ }
					$c[$i++] = $fill;
				}
				$i++;
				next;
			}
			if (!$is_pp) { $depth++ if $ch eq '('; $depth-- if $ch eq ')' }
			$i++;
		}
		$pp_cont = $is_pp && $line =~ /\\\s*$/;
		push @masked, join('', @c);
		push @pp, $is_pp;
	}
	return (\@lines, \@masked, \@pp, \@depth);
}

# The index of the ")" matching the "(" at $open in a masked line, or -1.
sub close_paren {
	my ($m, $open) = @_;
	my $d = 0;
	for my $i ($open .. length($m) - 1) {
		my $ch = substr($m, $i, 1);
		$d++ if $ch eq '(';
		if ($ch eq ')') { $d--; return $i if $d == 0 }
	}
	return -1;
}

my $KEYWORDS = qr/^(?:if|while|for|switch|return|sizeof|else|case|goto|do|break|continue|default|typedef|_Alignof|defined)$/;
my $TYPESTART = qr/^(?:const|static|struct|enum|union|unsigned|signed|int|char|long|short|float|double|void|bool|extern|volatile|register|inline|FILE|DIR|\w+_t)\b/;

# A declaration (or a function's head): "type name", "type *name".
sub is_declaration {
	my ($code) = @_;
	return 1 if $code =~ $TYPESTART;
	if ($code =~ /^([A-Za-z_]\w*)(?:\s+|\s*\*+\s*)[A-Za-z_]\w*\s*(?:[=;,\[(]|$)/) {
		return $1 !~ $KEYWORDS;
	}
	return 0;
}

my %CMP_TO = ('==' => ['!='], '!=' => ['=='], '<' => ['<=', '>'], '<=' => ['<'], '>' => ['>=', '<'], '>=' => ['>']);
my %ASSIGNOP = map { $_ => 1 } qw(= += -= *= /= %= &= |= ^= <<= >>=);
my %ARITH = map { $_ => 1 } qw(+ - * / % & | ^ << >> < > <= >= == != += -= *= /= %= &= |= ^= <<= >>=);

# Every mutation of one line: [op, new line text], in column order.
sub line_mutations {
	my ($lines, $masked, $pp, $depth, $idx) = @_;
	my $o = $lines->[$idx];
	my $m = $masked->[$idx];
	return () if $pp->[$idx];
	my $code = trim($m);
	return () if $code eq '';
	(my $rest = $code) =~ s/"S*"//g;
	return () if $rest !~ /\w/;                                # a string-only line (format text)
	return () if $m =~ /\b(?:oom|abort|exit|_exit|x(?:malloc|calloc|realloc))\s*\(/;    # error exits, allocation
	my @out;
	my $put = sub {
		my ($op, $from, $len, $new) = @_;
		my $t = substr($o, 0, $from) . $new . substr($o, $from + $len);
		push @out, [$op, $t, $from] if $t ne $o;
	};
	# cmp: comparison flips
	while ($m =~ /(?<![=!<>\-])(==|!=|<=|>=|<|>)(?![=<>])/g) {
		my ($op, $at) = ($1, $-[1]);
		next if $op eq '<' && substr($m, $at + 1, 1) eq '<';
		next if ($op eq '<=' || $op eq '<') && $at > 0 && substr($m, $at - 1, 1) eq '<';
		next if ($op eq '>=' || $op eq '>') && $at > 0 && substr($m, $at - 1, 1) =~ /[>\-]/;
		$put->('cmp', $at, length $op, $_) for @{$CMP_TO{$op}};
	}
	# logic: && <-> ||
	while ($m =~ /(&&|\|\|)/g) {
		my ($at, $to) = ($-[1], $1 eq '&&' ? '||' : '&&');
		# not where && and || would mix unparenthesized: -Wparentheses, -Werror
		next if mixed_logic(substr($m, 0, $at) . $to . substr($m, $at + 2));
		$put->('logic', $at, 2, $to);
	}
	# neg: if (c) -> if (!(c)), while likewise, the condition on this line
	while ($m =~ /\b(if|while)\s*\(/g) {
		my $open = $+[0] - 1;
		my $close = close_paren($m, $open);
		next if $close < 0;
		my $cond = substr($o, $open + 1, $close - $open - 1);
		next if trim($cond) eq '';
		$put->('neg', $open, $close - $open + 1, "(!($cond))");
	}
	# const: an integer constant +1 / -1 in a comparison, arithmetic, a return
	my $decl = is_declaration($code) || ($depth->[$idx] > 0 && $m =~ /^\s*(?:const\s+)?(?:struct\s+)?\w+\s*\*?\s*\w+\s*\[/);
	while ($m =~ /(?<![\w.])(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)(?![\w.])/g) {
		my ($lit, $suf, $at, $end) = ($1, $2, $-[1], $+[0]);
		next if $lit =~ /^0\d/;                                # octal
		my $left = substr($m, 0, $at);
		my $right = substr($m, $end);
		my $neg = 0;
		my $start = $at;
		if ($left =~ /(?:^|[(,=?:\[{!&|<>+*\/%^]|\breturn)\s*-\s*$/) {    # unary minus
			$neg = 1;
			$left =~ s/-\s*$//;
			$start = length $left;
		}
		my ($ltok) = $left =~ /(<<=|>>=|[-+*\/%&|^<>=!]=|<<|>>|&&|\|\||[-+*\/%&|^<>]|\breturn|\w+|\S)\s*$/;
		my ($rtok) = $right =~ /^\s*(<<=|>>=|[-+*\/%&|^<>=!]=|<<|>>|&&|\|\||[-+*\/%&|^<>]|\S)/;
		$ltok //= '';
		$rtok //= '';
		$ltok = '' if $ltok eq '&' && $left =~ /(?:^|[(,=])\s*&\s*$/;    # address-of
		$ltok = '' if $ltok eq '*' && $left =~ /(?:^|[(,=])\s*\*\s*$/;    # dereference
		my $ok = $ltok eq 'return' || $ARITH{$ltok} || ($ARITH{$rtok} && !$ASSIGNOP{$rtok})
			|| ($code =~ /^return\b/ && ($ltok eq '?' || $ltok eq ':'));    # return c ? -1 : 1;
		next unless $ok;
		if ($decl) {                                          # array size in a declarator
			my $d = 0;
			my $inside = -1;
			for (my $i = $at - 1; $i >= 0; $i--) {
				my $ch = substr($m, $i, 1);
				if ($ch eq ']') { $d++ }
				elsif ($ch eq '[') { if ($d == 0) { $inside = $i; last } $d-- }
			}
			next if $inside >= 0 && substr($m, 0, $inside) =~ /(?:[A-Za-z_]\w*(?:\s+|\s*\*+\s*)|,\s*|^\s*)[A-Za-z_]\w*\s*$/;
		}
		my $hex = $lit =~ /^0[xX]/;
		my $v = $hex ? hex($lit) : $lit + 0;
		$v = -$v if $neg;
		for my $nv ($v + 1, $v - 1) {
			my $a = abs($nv);
			my $txt = $hex ? sprintf($lit =~ /[A-F]/ ? '0x%X' : '0x%x', $a) : "$a";
			$txt = "-$txt" if $nv < 0;
			next if $nv < 0 && $hex;
			$txt .= $suf;
			$put->('const', $start, $end - $start, $txt);
		}
	}
	# del: a call or assignment statement on its own line -> ";"
	if ($depth->[$idx] == 0 && $code =~ /;$/ && ($code =~ tr/;//) == 1 && close_balanced($code)) {
		my $prev = '';
		for (my $j = $idx - 1; $j >= 0; $j--) {
			next if $pp->[$j];
			my $t = trim($masked->[$j]);
			if ($t ne '') { $prev = $t; last }
		}
		my $starts = $prev =~ /[;{})]$/ || $prev =~ /\belse$/ || $prev =~ /^(?:case\b.*|default\s*|\w+\s*):$/;
		my $is_call = $code =~ /^(?:\(void\)\s*)?[A-Za-z_][\w.\->\[\]]*\s*\(/;
		my $is_assign = $code =~ /^(?:\*\s*)*[A-Za-z_(][\w.\->\[\]()*+]*\s*(?:[-+*\/%&|^]|<<|>>)?=(?!=)/
			|| $code =~ /^(?:\+\+|--)[\w.\->\[\]]+\s*;$/ || $code =~ /^[\w.\->\[\]]+(?:\+\+|--)\s*;$/;
		my ($first) = $code =~ /^(?:\(void\)\s*)?([A-Za-z_]\w*)/;
		$first //= '';
		if ($starts && ($is_call || $is_assign) && $first !~ $KEYWORDS && !is_declaration($code)
		    && $first !~ /free|^json_object_put$/) {
			my ($ind) = $o =~ /^(\s*)/;
			# the whole body of an if or else: "{ }", as ";" is -Wempty-body
			my $empty = $prev =~ /(?:\belse|\))$/ ? '{ }' : ';';
			push @out, ['del', $ind . $empty, length $ind];
		}
	}
	# swap: the arguments of a call with two (not a strcmp-like equality test)
	while ($m =~ /\b([A-Za-z_]\w*)\s*\(/g) {
		my ($fn, $open) = ($1, $+[0] - 1);
		next if $fn =~ $KEYWORDS;
		next if is_declaration($code) && substr($m, 0, $open) !~ /=/;    # a function's head, not a call
		my $close = close_paren($m, $open);
		next if $close < 0;
		my @args;
		my ($d, $from) = (0, $open + 1);
		for my $i ($open + 1 .. $close - 1) {
			my $ch = substr($m, $i, 1);
			$d++ if $ch =~ /[(\[{]/;
			$d-- if $ch =~ /[)\]}]/;
			if ($ch eq ',' && $d == 0) { push @args, [$from, $i]; $from = $i + 1 }
		}
		push @args, [$from, $close];
		next unless @args == 2;
		my @mt = map { substr($m, $_->[0], $_->[1] - $_->[0]) } @args;
		my @ot = map { substr($o, $_->[0], $_->[1] - $_->[0]) } @args;
		next if trim($mt[0]) eq '' || trim($mt[1]) eq '' || trim($ot[0]) eq trim($ot[1]);
		my @lit = map { trim($_) =~ /^(?:"S*"|'C*')$/ ? 1 : 0 } @mt;
		next if $lit[0] != $lit[1];                            # a string or char and not: does not compile
		next if (trim($mt[0]) =~ /^&/ ? 1 : 0) != (trim($mt[1]) =~ /^&/ ? 1 : 0);    # &x and y: likely neither
		next if $fn =~ /^(?:offsetof|va_\w+)$/;
		if ($fn =~ /^(?:str(?:case)?cmp|memcmp|streq|MIN|MAX|min|max)$/) {
			my $after = substr($m, $close + 1);
			my $before = substr($m, 0, $open - length($fn));
			next unless $after =~ /^\s*(?:<|>)/ || ($before =~ /\breturn\s*-?\s*$/ && $after =~ /^\s*;/);
		}
		my ($l0) = $ot[0] =~ /^(\s*)/;
		my ($l1) = $ot[1] =~ /^(\s*)/;
		my $new = $l0 . trim($ot[1]) . ',' . $l1 . trim($ot[0]);
		$put->('swap', $open + 1, $close - $open - 1, $new);
	}
	my %seen;
	return grep { !$seen{$_->[1]}++ } sort { $a->[2] <=> $b->[2] } @out;
}

# && and || side by side in one ( ) group of a masked line
sub mixed_logic {
	my ($m) = @_;
	my @st = ({});
	while ($m =~ /(&&|\|\||[()])/g) {
		if ($1 eq '(') { push @st, {} }
		elsif ($1 eq ')') { pop @st if @st > 1 }
		else { $st[-1]{$1} = 1; return 1 if keys %{$st[-1]} == 2 }
	}
	return 0;
}

sub close_balanced { my $s = shift; my $d = 0; for (split //, $s) { $d++ if $_ eq '('; $d-- if $_ eq ')'; return 0 if $d < 0 } return $d == 0 }

# Every candidate line of the files: {file, line, orig, muts => [[op, text]], key}
sub enumerate {
	my ($dir, @files) = @_;
	my @cands;
	for my $f (@files) {
		my ($lines, $masked, $pp, $depth) = mask_c(slurp("$dir/$f"));
		my %occ;
		for my $i (0 .. $#$lines) {
			my @muts = line_mutations($lines, $masked, $pp, $depth, $i);
			next unless @muts;
			my $nt = norm_text($lines->[$i]);
			my $key = "$f\0$nt\0" . $occ{$nt}++;                   # stable when other lines move
			push @cands, { file => $f, line => $i + 1, orig => $lines->[$i], muts => \@muts, key => $key };
		}
	}
	return @cands;
}

# ---- equivalent mutants ----------------------------------------------------

sub read_equivalents {
	my @eq;
	return @eq unless -f "$ROOT/$EQFILE";
	my $cur = {};
	my $n = 0;
	my $flush = sub {
		return unless %$cur;
		for my $k (qw(file op from to why)) {
			die "mutate.pl: $EQFILE: the entry ending at line $n has no \"$k:\"\n" unless defined $cur->{$k} && $cur->{$k} ne '';
		}
		$cur->{file} = norm_file($cur->{file});
		push @eq, $cur;
		$cur = {};
	};
	open(my $fh, '<', "$ROOT/$EQFILE") or die "mutate.pl: $EQFILE: $!\n";
	while (my $l = <$fh>) {
		$n++;
		chomp $l;
		next if $l =~ /^\s*#/;
		if ($l =~ /^\s*$/) { $flush->(); next }
		die "mutate.pl: $EQFILE:$n: expected \"key: value\" (file, op, from, to, why)\n"
			unless $l =~ /^(file|op|from|to|why):\s?(.*)$/;
		$cur->{$1} = $1 eq 'why' ? $2 : norm_text($2);
	}
	$flush->();
	return @eq;
}

sub equivalent_of {
	my ($eqs, $file, $op, $orig, $mut) = @_;
	my ($no, $nm) = (norm_text($orig), norm_text($mut));
	for my $e (@$eqs) {
		return $e if $e->{file} eq $file && $e->{op} eq $op && $e->{from} eq $no && $e->{to} eq $nm;
	}
	return undef;
}

# ---- running things --------------------------------------------------------

my %RUNNING;    # pid -> process group, for a clean stop on a signal

# Run a command in its own process group, output to $log; stop it after
# $limit seconds. Returns (exit status or -1 on timeout, seconds).
sub run_cmd {
	my ($dir, $log, $limit, @cmd) = @_;
	my $t0 = time;
	my $pid = fork() // die "mutate.pl: fork: $!\n";
	if ($pid == 0) {
		setpgid(0, 0);
		chdir $dir or die "mutate.pl: $dir: $!\n";
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>>', $log) or die "mutate.pl: $log: $!\n";
		open(STDERR, '>&', \*STDOUT);
		exec(@cmd) or die "mutate.pl: $cmd[0]: $!\n";
	}
	setpgid($pid, $pid);
	$RUNNING{$pid} = $pid;
	my $status;
	while (1) {
		my $r = waitpid($pid, WNOHANG);
		if ($r == $pid) { $status = $?; last }
		if (defined $limit && time - $t0 > $limit) {
			kill('TERM', -$pid);
			for (1 .. 20) { last if waitpid($pid, WNOHANG) == $pid; sleep 0.1 }
			kill('KILL', -$pid);
			waitpid($pid, 0);
			$status = -1;
			last;
		}
		sleep 0.05;
	}
	kill('KILL', -$pid) if $status != -1;    # anything it left behind
	delete $RUNNING{$pid};
	return ($status, time - $t0);
}

sub stop_all { kill('KILL', -$_) for values %RUNNING; %RUNNING = () }

my @TEST_BINS;
sub build_targets { return ('build/pmemmap', @TEST_BINS) }

# the base tree: a snapshot of the sources, built once (objects kept
# between runs; make decides what is out of date)
sub make_base {
	my $base = "$W/base";
	make_path("$base/build/fixtures");
	remove_tree("$base/$_") for grep { $_ ne 'build' } @COPY;
	system('cp', '-a', (map { "$ROOT/$_" } @COPY), "$base/") == 0 or die "mutate.pl: copying the tree failed\n";
	@TEST_BINS = map { m{tests/(test_\w+)\.c$} ? "build/tests/$1" : () } sort glob("$base/tests/test_*.c");
	# an object kept from a run without its dependency file (-MMD) cannot
	# tell make which headers it was built from: build it again
	for my $o (glob("$base/build/obj/*.o")) {
		(my $d = $o) =~ s/\.o$/.d/;
		unlink $o unless -e $d;
	}
	spew("$base/build/fixtures/.stamp", '');
	my $log = "$W/logs/base-build.log";
	unlink $log;
	my ($st) = run_cmd($base, $log, undef, 'make', '-s', '-j', $JOBS, build_targets());
	if ($st != 0) {
		print STDERR "mutate.pl: the unmutated sources do not build (see $log):\n", tail($log, 15);
		exit 2;
	}
	return $base;
}

sub fresh_tree {
	my ($base, $k) = @_;
	my $t = "$W/tree$k";
	remove_tree($t);
	system('cp', '-a', $base, $t) == 0 or die "mutate.pl: copying the base tree failed\n";
	# make fast must not repack fixtures in a copy: they come from $FIX
	my $now = time;
	utime($now, $now, "$t/build/fixtures/.stamp");
	return $t;
}

sub tail {
	my ($f, $n) = @_;
	open(my $fh, '<', $f) or return '';
	my @l = <$fh>;
	return join('', @l > $n ? @l[-$n .. -1] : @l);
}

# the first failure in a suite log: "test_x: [  FAILED  ] ..." or a case
sub first_failure {
	my ($log) = @_;
	open(my $fh, '<', $log) or return '';
	my $suite = '';
	while (my $l = <$fh>) {
		chomp $l;
		if ($l =~ /^== (test_\w+)/) { $suite = $1; next }
		return "$suite: " . trim($l) if $l =~ /^\[\s*(?:FAILED|ERROR)\s*\]/ && $l !~ /\d+ test\(s\)/;
		return trim($l) if $l =~ /^FAIL: /;
		return trim($l) if $l =~ /^make(?:\[\d+\])?: \*\*\*/;
	}
	return '';
}

# the fast suite, the suites that test the mutated file first (tests/fast.sh)
sub fast_cmd { return ('make', '-s', 'fast', "PMEMMAP_FIXTURES=$FIX", "FAST_FOR=" . ($_[0] // '')) }

# One sampled line in tree $t: its mutations from the seed's choice on,
# until one builds. Returns a hash: outcome, op, mut, secs, by, stillborn.
sub run_line {
	my ($t, $c, $eqs, $limit, $pick, $id, $replay) = @_;
	my $src = "$t/$c->{file}";
	my $t_line = time;
	my $text = slurp($src);
	my @st = stat($src);
	my @lines = split /\n/, $text, -1;
	(my $obj = $c->{file}) =~ s{^analyzer/(.*)\.c$}{build/obj/$1.o};
	my @muts = @{$c->{muts}};
	my $start = defined $pick ? $pick : hnum($SEED, 'pick', $c->{key}) % @muts;
	my @order = defined $pick ? ($pick) : map { ($start + $_) % @muts } 0 .. $#muts;
	my @still;
	my $log = "$W/logs/$id.log";
	unlink $log;
	for my $k (@order) {
		my ($op, $new) = @{$muts[$k]};
		my %r = (op => $op, mut => $new, n => $k + 1, stillborn => \@still, log => $log);
		if (!$replay && (my $e = equivalent_of($eqs, $c->{file}, $op, $c->{orig}, $new))) {
			return { %r, outcome => 'equivalent', by => $e->{why}, secs => 0 };
		}
		if ($lines[$c->{line} - 1] ne $c->{orig}) { return { %r, outcome => 'error', by => 'the line moved', secs => 0 } }
		my @ml = @lines;
		$ml[$c->{line} - 1] = $new;
		spew($src, join("\n", @ml));
		my $t0 = time;
		my $ok;
		{
			open(my $lf, '>>', $log); print $lf "### mutation @{[$k + 1]} [$op]: $c->{file}:$c->{line}\n-$c->{orig}\n+$new\n### build\n"; close $lf;
			my ($bst) = run_cmd($t, $log, 300, 'make', '-s', build_targets());
			$ok = $bst == 0;
			if ($ok) {
				open($lf, '>>', $log); print $lf "### make fast\n"; close $lf;
				my ($fst, $secs) = run_cmd($t, $log, $limit, fast_cmd($c->{file}));
				%r = (%r, secs => time - $t0, suite => $secs, outcome => $fst == -1 ? 'timeout' : $fst == 0 ? 'survived' : 'killed');
				$r{by} = $fst == -1 ? sprintf('no result after %.0f s', $limit) : $fst == 0 ? '' : first_failure($log);
				$r{by} = substr($r{by}, 0, 157) . '...' if length $r{by} > 160;
			}
		}
		# back to the unmutated file and object: only the next mutant's file recompiles
		spew($src, $text);
		utime($st[8], $st[9], $src);
		system('cp', "$W/base/$obj", "$t/$obj") == 0 or die "mutate.pl: restoring $obj failed\n";
		my $now = time;
		utime($now, $now, "$t/$obj");
		return \%r if $ok;
		push @still, [$op, $new];
		$r{secs} = time - $t_line;
		return { %r, outcome => 'stillborn', by => 'does not compile' } if @still == @order;
	}
}

# ---- sampling --------------------------------------------------------------

sub sample {
	my ($n, @cands) = @_;
	my %by;
	push @{$by{$_->{file}}}, $_ for @cands;
	my @files = grep { $by{$_} } @FILES;
	return @cands if $n >= @cands;
	my $total = @cands;
	my %q;
	my $floor = @files ? int($n / @files) : 0;
	my $min = $floor >= 3 ? 3 : $floor;
	$q{$_} = ($min < @{$by{$_}} ? $min : scalar @{$by{$_}}) for @files;
	my $left = $n;
	$left -= $q{$_} for @files;
	while ($left > 0) {
		my ($best, $gap);
		for my $f (@files) {
			next if $q{$f} >= @{$by{$f}};
			my $g = $n * @{$by{$f}} / $total - $q{$f};
			($best, $gap) = ($f, $g) if !defined $gap || $g > $gap;
		}
		last unless defined $best;
		$q{$best}++;
		$left--;
	}
	my @pick;
	for my $f (@files) {
		my @s = sort { hnum($SEED, 'sample', $a->{key}) <=> hnum($SEED, 'sample', $b->{key}) || $a->{line} <=> $b->{line} } @{$by{$f}};
		push @pick, @s[0 .. $q{$f} - 1];
	}
	return @pick;
}

# ---- the run ---------------------------------------------------------------

sub fixtures_fingerprint {
	my @l;
	my @todo = ($FIX);
	while (my $d = shift @todo) {
		opendir(my $dh, $d) or next;
		for my $e (sort readdir $dh) {
			next if $e eq '.' || $e eq '..';
			my $p = "$d/$e";
			if (-d $p && !-l $p) { push @todo, $p; next }
			my @s = lstat($p);
			push @l, "$p $s[7] $s[9]";
		}
	}
	return md5_hex(join("\n", @l));
}

sub fmt_mutant {
	my ($c, $mut) = @_;
	return sprintf('%s:%d: %s -> %s', $c->{file}, $c->{line}, trim($c->{orig}), trim($mut));
}

my $T_START = time;
my @eqs = read_equivalents();

if ($LIST) {
	for my $c (enumerate($ROOT, @FILES)) {
		printf("%-6s %s\n", $_->[0], fmt_mutant($c, $_->[1])) for @{$c->{muts}};
	}
	exit 0;
}

# the packed fixtures, once, in the main tree (the copies only read them)
if (system('make', '-s', '-q', '-C', $ROOT, 'fixtures') != 0) {
	print "mutate: packing fixtures (make fixtures)\n";
	system('make', '-s', '-C', $ROOT, 'fixtures') == 0 or die "mutate.pl: make fixtures failed\n";
}

remove_tree("$W/logs");
make_path("$W/logs");
# the packed fixtures as they are now: a `make fixtures` in the main tree
# while the mutants run (it empties build/fixtures first) must not kill them
remove_tree($FIX);
system('cp', '-a', $FIXMAIN, $FIX) == 0 && -f "$FIX/.stamp"
	or die "mutate.pl: copying $FIXMAIN failed (being repacked? try again)\n";
print "mutate: snapshot of the tree and a build in build/mutate/base\n";
my $base = make_base();
my @cands = enumerate($base, @FILES);
my %bycand = map { ("$_->{file}:$_->{line}" => $_) } @cands;

# which lines
my @todo;    # [cand, pick or undef]
if ($ONLY ne '') {
	for my $spec (split /\s*,\s*/, $ONLY) {
		my ($f, $l, $k) = $spec =~ /^([^:]+):(\d+)(?::(\d+))?$/
			or die "mutate.pl: MUTATE_ONLY: expected file:line or file:line:N, got \"$spec\"\n";
		$f = norm_file($f);
		my $c = $bycand{"$f:$l"};
		if (!$c) {
			my ($lines, $masked, $pp, $depth) = -f "$base/$f" ? mask_c(slurp("$base/$f")) : ([]);
			die "mutate.pl: MUTATE_ONLY: $f has no line $l\n" unless $l >= 1 && $l <= @$lines;
			$c = { file => $f, line => $l, orig => $lines->[$l - 1], key => "$f\0" . norm_text($lines->[$l - 1]) . "\0" . 0,
			       muts => [line_mutations($lines, $masked, $pp, $depth, $l - 1)] };
			die "mutate.pl: MUTATE_ONLY: $f:$l is not mutated: " . trim($c->{orig}) . "\n" unless @{$c->{muts}};
		}
		die "mutate.pl: MUTATE_ONLY: $f:$l has " . @{$c->{muts}} . " mutations, not $k\n" if defined $k && ($k < 1 || $k > @{$c->{muts}});
		print "mutate: $f:$l has these mutations (the seed picks, or :N):\n";
		printf("  %d. %-5s %s\n", $_ + 1, $c->{muts}[$_][0], trim($c->{muts}[$_][1])) for 0 .. $#{$c->{muts}};
		push @todo, [$c, defined $k ? $k - 1 : undef];
	}
} else {
	@todo = map { [$_, undef] } sort { hnum($SEED, 'order', $a->{key}) <=> hnum($SEED, 'order', $b->{key}) } sample($N, @cands);
}
my $jobs = $JOBS < @todo ? $JOBS : scalar @todo;
$jobs = 1 if $jobs < 1;

# the trees, and the baseline: the unmutated suite in all of them at once,
# as the mutants will run
my @trees = map { fresh_tree($base, $_) } 1 .. $jobs;
print "mutate: baseline: make fast in $jobs unmutated cop" . ($jobs == 1 ? 'y' : 'ies') . "\n";
my ($fp0, %bpid) = (fixtures_fingerprint());
for my $k (1 .. $jobs) {
	my $pid = fork() // die "mutate.pl: fork: $!\n";
	if ($pid == 0) {
		my ($st, $secs) = run_cmd($trees[$k - 1], "$W/logs/baseline$k.log", 600, fast_cmd());
		spew("$W/logs/baseline$k.time", $secs);
		POSIX::_exit($st == 0 ? 0 : 1);
	}
	$bpid{$pid} = $k;
}
my $baseline = 0;
while ((my $pid = wait()) > 0) {
	my $k = delete $bpid{$pid};
	if ($? != 0) {
		print STDERR "mutate.pl: the unmutated copy fails make fast (build/mutate/logs/baseline$k.log):\n",
			tail("$W/logs/baseline$k.log", 15);
		exit 2;
	}
	my $s = slurp("$W/logs/baseline$k.time");
	$baseline = $s if $s > $baseline;
}
my $limit = $FACTOR * $baseline;
printf("mutate: baseline %.1f s, timeout %.1f s; %d mutants of %d candidate lines in %d files, seed %s\n",
	$baseline, $limit, scalar @todo, scalar @cands, scalar @FILES, $SEED);

# the mutants, $jobs at a time
my (%busy, @results);
my @free = (1 .. $jobs);
my $stop = sub { kill('TERM', $_) for keys %busy; sleep 0.3; kill('KILL', -$_) for keys %busy; stop_all(); print STDERR "\nmutate: interrupted\n"; exit 130 };
local $SIG{INT} = $stop;
local $SIG{TERM} = $stop;
my ($next, $done) = (0, 0);
while ($next < @todo || %busy) {
	while ($next < @todo && @free) {
		my $k = shift @free;
		my $i = $next++;
		my $pid = fork() // die "mutate.pl: fork: $!\n";
		if ($pid == 0) {
			$SIG{INT} = 'IGNORE';
			$SIG{TERM} = sub { stop_all(); POSIX::_exit(1) };
			my ($c, $pick) = @{$todo[$i]};
			my $r = run_line($trees[$k - 1], $c, \@eqs, $limit, $pick, sprintf('m%03d', $i + 1), $ONLY ne "");
			my $s = join("\n", map {
				my $v = $r->{$_} // '';
				$v = join("\x02", map { "$_->[0]\x01$_->[1]" } @$v) if ref $v;
				$v =~ s/\n/ /g;
				"$_=$v";
			} sort keys %$r);
			spew("$W/logs/m" . sprintf('%03d', $i + 1) . '.result', "$s\n");
			POSIX::_exit(0);
		}
		$busy{$pid} = [$k, $i];
	}
	my $pid = wait();
	next if $pid <= 0 || !$busy{$pid};
	my ($k, $i) = @{delete $busy{$pid}};
	push @free, $k;
	my $rf = "$W/logs/m" . sprintf('%03d', $i + 1) . '.result';
	my %r = (outcome => 'error', by => 'the mutant run died', op => '?', mut => '', secs => 0, stillborn => '');
	if (-f $rf) { for (split /\n/, slurp($rf)) { my ($a, $b) = split /=/, $_, 2; $r{$a} = $b } }
	$r{stillborn} = [map { [split /\x01/, $_, 2] } grep { $_ ne '' } split /\x02/, $r{stillborn}];
	my $c = $todo[$i][0];
	$results[$i] = { %r, c => $c };
	$done++;
	printf("[%3d/%d] %-10s %s:%d [%s] (%.1f s)\n", $done, scalar @todo, $r{outcome}, $c->{file}, $c->{line}, $r{op}, $r{secs} || 0);
}

# ---- the report --------------------------------------------------------------

my @all = sort { $a->{c}{file} cmp $b->{c}{file} || $a->{c}{line} <=> $b->{c}{line} } grep { defined } @results;
my %count;
$count{$_->{outcome}}++ for @all;
my $killed = ($count{killed} // 0) + ($count{timeout} // 0);
my $counted = $killed + ($count{survived} // 0);
my $rate = $counted ? 100 * $killed / $counted : 100;
my @surv = grep { $_->{outcome} eq 'survived' } @all;
my $secs = time - $T_START;
my @stale;
for my $e (@eqs) {
	my $hit = 0;
	for my $c (grep { $_->{file} eq $e->{file} } @cands) {
		$hit ||= grep { $_->[0] eq $e->{op} && norm_text($c->{orig}) eq $e->{from} && norm_text($_->[1]) eq $e->{to} } @{$c->{muts}};
		last if $hit;
	}
	push @stale, $e unless $hit || !grep { $_ eq $e->{file} } @FILES;
}

my $summary = sprintf("mutation: %d killed of %d (%.1f%%)\n", $killed, $counted, $rate);
my $extra = sprintf("  %d by timeout (over %.0f s, %dx the baseline %.1f s); stillborn (did not compile, not counted): %d; equivalent: %d, listed in %s\n",
	$count{timeout} // 0, $limit, $FACTOR, $baseline, $count{stillborn} // 0, $count{equivalent} // 0, $EQFILE);
$extra .= sprintf("  %d lines sampled of %d candidates (seed %s); %d mutants failed to run\n", scalar @all, scalar @cands, $SEED, $count{error}) if $count{error};
my $surv_txt = join('', map { fmt_mutant($_->{c}, $_->{mut}) . "\n" } @surv);

open(my $rep, '>', "$W/$REPORT") or die "mutate.pl: $W/$REPORT: $!\n";
printf $rep "pmemmap mutation run, %s; seed %s, %d of %d candidate lines, %.0f s\nfiles: %s\n\n",
	scalar localtime, $SEED, scalar @all, scalar @cands, $secs, "@FILES";
print $rep $summary, $extra, "\n";
for my $r (@all) {
	for my $s (@{$r->{stillborn}}) {
		printf $rep "%-10s [%-5s] %s\n", 'stillborn', $s->[0], fmt_mutant($r->{c}, $s->[1]);
	}
	next if $r->{outcome} eq 'stillborn' && @{$r->{stillborn}};
	my $note = $r->{outcome} eq 'survived' ? '' : $r->{by} ? "\n" . (' ' x 19) . "($r->{by})" : '';
	printf $rep "%-10s [%-5s] %s%s\n", $r->{outcome}, $r->{op}, fmt_mutant($r->{c}, $r->{mut}), $note;
}
if (@surv) {
	print $rep "\n# Survivors as entries for $EQFILE (for an equivalent one: add why:)\n";
	for my $r (@surv) {
		printf $rep "\nfile: %s\nop: %s\nfrom: %s\nto: %s\nwhy: \n", $r->{c}{file}, $r->{op}, trim($r->{c}{orig}), trim($r->{mut});
	}
}
close $rep;

if ($ONLY ne '') {
	for my $r (@all) {
		print "\n", fmt_mutant($r->{c}, $r->{mut}), " [$r->{op}]: $r->{outcome}", $r->{by} ? " ($r->{by})" : '', "\n";
		my $eq = equivalent_of(\@eqs, $r->{c}{file}, $r->{op}, $r->{c}{orig}, $r->{mut});
		print "  listed as equivalent: $eq->{why}\n" if $eq;
		print "  log: build/mutate/logs/", ($r->{log} =~ m{([^/]+)$})[0], "\n" if $r->{log};
	}
	print "\n";
}
print $summary, $extra;
print "survivors:\n$surv_txt" if @surv;
print "stale entries in $EQFILE (no such mutation now): ", join(', ', map { "$_->{file}: $_->{from} -> $_->{to}" } @stale), "\n" if @stale;
print "mutate: every mutant in build/mutate/$REPORT; ", sprintf("%dm%02ds\n", int($secs / 60), $secs % 60);
if (fixtures_fingerprint() ne $fp0) {
	print STDERR "mutate.pl: WARNING: a mutant wrote into the fixtures (build/mutate/fixtures): outcomes after it may be wrong\n";
}
if ($MIN ne '' && $rate < $MIN) {
	printf STDERR "mutate.pl: kill rate %.1f%% below MUTATE_MIN=%s%%\n", $rate, $MIN;
	exit 1;
}
exit 0;
