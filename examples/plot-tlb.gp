# D-TLB and I-TLB misses over virtual time, from the --csv series.
#
#   gnuplot -e "csv='run.csv'; out='tlb.png'" examples/plot-tlb.gp
#
# Columns: insns,pid,rss_kb,minflt,majflt,dtlb_miss,itlb_miss (the TLB
# counts are the machine's cumulative misses at the sample).
if (!exists("csv")) csv = 'run.csv'
if (!exists("out")) out = 'tlb.png'
set datafile separator ','
set terminal pngcairo size 1000,500 noenhanced
set output out
set title 'TLB misses (cumulative)'
set xlabel 'instructions retired (virtual time)'
set ylabel 'misses'
set key left top
set grid
plot csv using 1:6 every ::1 with lines lw 2 title 'dtlb', \
     '' using 1:7 every ::1 with lines lw 2 title 'itlb'
