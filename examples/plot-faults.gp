# Minor and major page faults per sample interval, from the --csv series.
#
#   gnuplot -e "csv='run.csv'; out='faults.png'" examples/plot-faults.gp
#
# Columns by their names in the header row: insns, pid, minflt and majflt
# (the process's cumulative counts, as in /proc/PID/stat).
if (!exists("csv")) csv = 'run.csv'
if (!exists("out")) out = 'faults.png'
if (!exists("pid")) pid = 1
set datafile separator ','
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced
set output out
set title sprintf('page faults of pid %d per interval', pid)
set xlabel 'instructions retired (virtual time)'
set ylabel 'faults'
set grid
set style fill solid 0.6
# Differences of the cumulative counts between consecutive rows of @pid.
pm = NaN; pj = NaN
dmin(x) = (d = (pm == pm) ? x - pm : 0, pm = x, d)
dmaj(x) = (d = (pj == pj) ? x - pj : 0, pj = x, d)
set yrange [0:*]
hdr = "NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }"
rows = sprintf("< awk -F, '%s $c[\"pid\"] == %d' '%s'", hdr, pid, csv)
plot rows using "insns":(dmin(column("minflt"))) with impulses lw 3 title 'minor', \
     rows using "insns":(dmaj(column("majflt"))) with impulses lw 3 lc rgb 'red' title 'major'
