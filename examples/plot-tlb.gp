# D-TLB and I-TLB misses over virtual time, from the --csv series.
#
#   gnuplot -e "csv='run.csv'; out='tlb.png'" examples/plot-tlb.gp
#
# Columns by their names in the header row: insns, dtlb_miss, itlb_miss
# (the machine's cumulative misses at the sample, the same on every row
# of a sample).
if (!exists("csv")) csv = 'run.csv'
if (!exists("out")) out = 'tlb.png'
set datafile separator ','
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced
set output out
set title 'TLB misses (cumulative)'
set xlabel 'instructions retired (virtual time)'
set ylabel 'misses'
set key left top
set grid
plot csv using "insns":"dtlb_miss" with lines lw 2 title 'dtlb', \
     '' using "insns":"itlb_miss" with lines lw 2 title 'itlb'
