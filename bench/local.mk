# bench -- guest benchmarks, their native builds and the runner (make bench).
#
# bench/progs/*.c build twice from the same source: for the guest like
# guest/progs (bench/bin/NAME.elf) and for the host with $(CC)
# (bench/bin/NAME.native), so the runner can compare checksums and times of
# native, qemu-riscv32 and mmulab.  `make check` only runs bench/smoke.sh
# (tiny sizes, checksums, never times).

BENCH_PROGS = compute random seq fault cow lz swap
BENCH_ELFS = $(addprefix bench/bin/,$(addsuffix .elf,$(BENCH_PROGS)))
BENCH_NATIVES = $(addprefix bench/bin/,$(addsuffix .native,$(BENCH_PROGS)))
BENCH_NATIVE_CFLAGS = -O2 -Wall -Wextra -Werror

EXTRA_DIST += bench/bench.h bench/progs bench/run.sh bench/smoke.sh \
	bench/gdb-continue.sh

bench/bin/%.elf: $(top_srcdir)/bench/progs/%.c $(top_srcdir)/bench/bench.h \
		$(GUEST_RT_OBJS) $(GUEST_RT_HDRS)
	@mkdir -p bench/bin
	$(AM_V_CCLD)$(GUEST_CC) $(GUEST_CFLAGS) -I$(top_srcdir)/bench -o $@ \
		$(GUEST_RT_OBJS) $< $(GUEST_LIBS)

bench/bin/%.native: $(top_srcdir)/bench/progs/%.c $(top_srcdir)/bench/bench.h
	@mkdir -p bench/bin
	$(AM_V_CCLD)$(CC) $(BENCH_NATIVE_CFLAGS) -I$(top_srcdir)/bench -o $@ $<

check_PROGRAMS += bench/peakrss
bench_peakrss_SOURCES = bench/peakrss.c
# a host tool: no sanitizers, which would only measure themselves
bench_peakrss_CFLAGS = -O2 -Wall -Wextra $(WERROR)
bench_peakrss_LDFLAGS =

TESTS += bench/smoke.sh

BENCH_ENV = MMULAB='$(abs_top_builddir)/mmulab' \
	BENCH_BIN='$(abs_top_builddir)/bench/bin' \
	PEAKRSS='$(abs_top_builddir)/bench/peakrss' \
	GUEST_BIN='$(abs_top_builddir)/guest/bin' \
	QEMU_RISCV32='$(QEMU_RISCV32)'

if HAVE_GUEST
bench-progs: $(BENCH_ELFS) $(BENCH_NATIVES)
# the smoke test needs the programs: build them with the check programs
check_DATA += $(BENCH_ELFS) $(BENCH_NATIVES)
else
bench-progs:
	@echo "guest benchmarks not built: riscv64-unknown-elf-gcc or picolibc missing"
endif

# make bench [BENCH_ARGS='-n 3 -s 100 compute lz']
bench: bench-progs mmulab bench/peakrss guest
	$(BENCH_ENV) $(SHELL) $(top_srcdir)/bench/run.sh $(BENCH_ARGS)

clean-local: clean-bench
clean-bench:
	-rm -rf bench/bin

.PHONY: bench bench-progs clean-bench
