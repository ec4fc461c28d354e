/*
 * <sys/syscall.h> for the guest: syscall(2) and the numbers of the calls
 * a lab program makes through it (Linux rv32, asm-generic), which
 * picolibc does not provide.
 */
#ifndef MMULAB_GUEST_SYS_SYSCALL_H
#define MMULAB_GUEST_SYS_SYSCALL_H

#define __NR_getpid 172
#define __NR_gettid 178
#define __NR_perf_event_open 241
#ifndef SYS_perf_event_open
#define SYS_perf_event_open __NR_perf_event_open
#endif
#ifndef SYS_gettid
#define SYS_gettid __NR_gettid
#endif

/* The raw call: -1 with errno set on failure. */
long syscall(long number, ...);

#endif
