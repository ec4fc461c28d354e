# RSS of each process over virtual time, from `mmulab run --sample N --csv`.
#
#   mmulab run --sample 10000 --csv run.csv guest/bin/forktree.elf
#   gnuplot -e "csv='run.csv'; out='rss.png'" examples/plot-rss.gp
#
# Columns are found by their names in the header row (insns, pid, rss_kb;
# docs/pictures.md lists them all).  Rows of pid 0 (no process alive) are
# left out.
if (!exists("csv")) csv = 'run.csv'
if (!exists("out")) out = 'rss.png'
set datafile separator ','
set datafile columnheaders
set key outside right
set terminal pngcairo size 1000,500 noenhanced
set output out
set title 'resident set size per process'
set xlabel 'instructions retired (virtual time)'
set ylabel 'RSS (kB)'
set grid
# The header row, then the rows of one pid (awk finds the pid column by
# its name).
names = "NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }"
hdr = "NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }"
pids = system(sprintf("awk -F, '%s $c[\"pid\"] > 0 { print $c[\"pid\"] }' '%s' | sort -nu | tr '\\n' ' '", names, csv))
rows(p) = sprintf("< awk -F, '%s $c[\"pid\"] == %s' '%s'", hdr, p, csv)
set yrange [0:*]
plot for [p in pids] rows(p) using "insns":"rss_kb" with steps lw 2 title 'pid '.p
