# Minor and major page faults per sample interval, from the --csv series.
#
#   gnuplot -e "csv='run.csv'; out='faults.png'" examples/plot-faults.gp
#
# Columns: insns,pid,rss_kb,minflt,majflt,dtlb_miss,itlb_miss (minflt and
# majflt are the process's cumulative counts, as in /proc/PID/stat).
if (!exists("csv")) csv = 'run.csv'
if (!exists("out")) out = 'faults.png'
if (!exists("pid")) pid = 1
set datafile separator ','
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
rows = sprintf("< awk -F, 'NR > 1 && $2 == %d' '%s'", pid, csv)
plot rows using 1:(dmin($4)) with impulses lw 3 title 'minor', \
     rows using 1:(dmaj($5)) with impulses lw 3 lc rgb 'red' title 'major'
