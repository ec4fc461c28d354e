/*
 * Process entry for Linux rv32 static programs built against picolibc.
 *
 * The kernel (Linux, qemu-riscv32 or mmulab) enters here with sp pointing at
 * argc, followed by argv[], NULL, envp[], NULL and the auxiliary vector.
 * Everything else -- TLS, stdio, constructors, main -- is set up in C by
 * __mmulab_start().
 */
	.section .text._start, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	.option	push
	.option	norelax
	la	gp, __global_pointer$
	.option	pop
	mv	a0, sp
	andi	sp, sp, -16
	li	ra, 0
	call	__mmulab_start
1:	j	1b
	.size	_start, . - _start
