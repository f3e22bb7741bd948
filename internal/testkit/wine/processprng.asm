# bcryptprimitives.dll for Wine 8, which has none: Go programs (since Go
# 1.22) get their random bytes from its ProcessPrng and stop at start-up
# without it. This stand-in fills the buffer with advapi32's RtlGenRandom
# (exported as SystemFunction036), at most 1 GiB per call because that
# one takes a 32-bit length. GNU assembler, x86-64, Windows calling
# convention; internal/testkit/wine assembles and links it when a test needs it.

	.text
	.globl	ProcessPrng
# BOOL ProcessPrng(PBYTE data [rcx], SIZE_T size [rdx])
ProcessPrng:
	pushq	%rbx
	pushq	%rsi
	pushq	%rdi
	subq	$32, %rsp		# the callee's shadow space; rsp stays 16-aligned
	movq	%rcx, %rbx		# where the next bytes go
	movq	%rdx, %rsi		# how many remain
1:
	testq	%rsi, %rsi
	jz	2f
	movq	$0x40000000, %rdi	# this call's share: min(remaining, 1 GiB)
	cmpq	%rdi, %rsi
	cmovbq	%rsi, %rdi
	movq	%rbx, %rcx
	movl	%edi, %edx
	call	*__imp_SystemFunction036(%rip)
	testb	%al, %al
	jz	3f
	addq	%rdi, %rbx
	subq	%rdi, %rsi
	jmp	1b
2:
	movl	$1, %eax		# TRUE
	jmp	4f
3:
	xorl	%eax, %eax		# FALSE
4:
	addq	$32, %rsp
	popq	%rdi
	popq	%rsi
	popq	%rbx
	ret

	.globl	DllMain
DllMain:
	movl	$1, %eax
	ret

	.section .drectve
	.ascii	" -export:ProcessPrng"
