# RSS of each process over virtual time, from `mmulab run --sample N --csv`.
#
#   mmulab run --sample 10000 --csv run.csv guest/bin/forktree.elf
#   gnuplot -e "csv='run.csv'; out='rss.png'" examples/plot-rss.gp
#
# Columns (header line first): insns,pid,rss_kb,minflt,majflt,dtlb_miss,itlb_miss
if (!exists("csv")) csv = 'run.csv'
if (!exists("out")) out = 'rss.png'
set datafile separator ','
set key outside right
set terminal pngcairo size 1000,500 noenhanced
set output out
set title 'resident set size per process'
set xlabel 'instructions retired (virtual time)'
set ylabel 'RSS (kB)'
set grid
# One line per pid: the pids present, read from column 2.
stats csv using 2 nooutput
pids = ''
do for [i=STATS_min:STATS_max] {
	stats csv using ($2 == i ? 1 : NaN) nooutput
	if (STATS_records > 0) { pids = pids . ' ' . i }
}
set yrange [0:*]
# Rows of one pid at a time (a NaN filter would break the lines).
rows(p) = sprintf("< awk -F, 'NR > 1 && $2 == %s' '%s'", p, csv)
plot for [p in pids] rows(p) using 1:3 with steps lw 2 title 'pid '.p
