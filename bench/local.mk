# bench -- guest benchmarks (make bench)
