#!/bin/sh
# bench-figures.sh OLD NEW [PAIRS] [ARGS...]: times two copsim binaries
# side by side, whole process, in A B A B order (PAIRS pairs, default 5),
# on `copsim run ARGS` (default: baseline with its default outputs, figures
# included), and prints each time, the medians and their ratio. Wall time
# is what a user waits; CPU time (user + sys) is printed beside it because
# a shared machine's load moves wall time more.
set -eu
old=$1 new=$2
pairs=${3:-5}
[ $# -ge 3 ] && shift 3 || shift $#
[ $# -eq 0 ] && set -- baseline
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
time1() { # label binary args...
	label=$1 bin=$2
	shift 2
	start=$(date +%s.%N)
	/usr/bin/time -f '%U %S' -o "$tmp/cpu" "$bin" run "$@" -q --out "$tmp/out" >/dev/null
	end=$(date +%s.%N)
	rm -rf "$tmp/out"
	echo "$label $(echo "$end - $start" | bc) $(awk '{ print $1 + $2 }' "$tmp/cpu")" >>"$tmp/times"
}
i=0
while [ $i -lt "$pairs" ]; do
	time1 A "$old" "$@"
	time1 B "$new" "$@"
	i=$((i + 1))
done
awk '{ printf "%s wall %.2f s  cpu %.2f s\n", $1, $2, $3 }' "$tmp/times"
median() { # label column
	awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$tmp/times" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
awall=$(median A 2) bwall=$(median B 2) acpu=$(median A 3) bcpu=$(median B 3)
echo "median wall: A $awall s, B $bwall s, A/B $(echo "scale=2; $awall / $bwall" | bc)"
echo "median cpu:  A $acpu s, B $bcpu s, A/B $(echo "scale=2; $acpu / $bcpu" | bc)"
