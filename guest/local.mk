# guest -- the guest runtime and the project's own guest programs, built with
# the RISC-V cross compiler against Debian's picolibc into guest/bin/*.elf.

GUEST_CFLAGS = -march=rv32imac -mabi=ilp32 -O2 -g -static -nostdlib \
	-nostartfiles -ffunction-sections -isystem $(PICOLIBC_DIR)/include \
	-I$(top_srcdir)/guest/runtime -Wall -Wextra -Wno-unused-parameter
GUEST_LIBS = -L$(PICOLIBC_DIR)/lib/rv32imac/ilp32 \
	-Wl,--start-group -lc -lgcc -Wl,--end-group
GUEST_RT_OBJS = guest/obj/crt0.o guest/obj/start.o guest/obj/syscalls.o
GUEST_RT_HDRS = $(top_srcdir)/guest/runtime/mmulab.h \
	$(top_srcdir)/guest/runtime/syscall.h \
	$(top_srcdir)/guest/runtime/sys/ioctl.h \
	$(top_srcdir)/guest/runtime/sys/syscall.h \
	$(top_srcdir)/guest/runtime/linux/perf_event.h \
	$(top_srcdir)/guest/runtime/sys/mman.h \
	$(top_srcdir)/guest/runtime/sys/resource.h
GUEST_PROGS = $(sort $(basename $(notdir $(wildcard $(top_srcdir)/guest/progs/*.c))))
GUEST_ELFS = $(addprefix guest/bin/,$(addsuffix .elf,$(GUEST_PROGS)))

EXTRA_DIST += guest/runtime guest/progs

guest/obj/%.o: $(top_srcdir)/guest/runtime/%.c $(GUEST_RT_HDRS)
	@mkdir -p guest/obj
	$(AM_V_CC)$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

guest/obj/%.o: $(top_srcdir)/guest/runtime/%.S
	@mkdir -p guest/obj
	$(AM_V_CC)$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

guest/bin/%.elf: $(top_srcdir)/guest/progs/%.c $(GUEST_RT_OBJS) $(GUEST_RT_HDRS)
	@mkdir -p guest/bin
	$(AM_V_CCLD)$(GUEST_CC) $(GUEST_CFLAGS) -o $@ $(GUEST_RT_OBJS) $< $(GUEST_LIBS)

# A student's program in guest/progs/ builds with warnings shown, not as
# errors; the project's own programs stay warning-free: guest-lint (part of
# `make lint`, and tests/guestcc.sh in `make check`) compiles each with
# -Werror.
guest-lint:
	@if [ "$(GUEST_CC)" = no ]; then \
		echo "guest-lint: no guest compiler (see ./configure)"; \
		exit 0; \
	fi; \
	fail=0; for p in $(GUEST_PROGS); do \
		$(GUEST_CC) $(GUEST_CFLAGS) -Werror -fsyntax-only \
			$(top_srcdir)/guest/progs/$$p.c || fail=1; \
	done; exit $$fail

if HAVE_GUEST
guest: $(GUEST_ELFS)
all-local: guest
else
guest:
	@echo "guest programs not built: riscv64-unknown-elf-gcc or picolibc missing (see ./configure)"
endif

clean-local: clean-guest
clean-guest:
	-rm -rf guest/bin guest/obj

.PHONY: guest clean-guest guest-lint
.SECONDARY: $(GUEST_RT_OBJS)
