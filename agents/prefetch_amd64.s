#include "textflag.h"

// func prefetchTies(look *lookup, to *[maxTies]int32)
// Prefetches the lookup lines of the people to[0..maxTies-1] that are >= 0.
TEXT ·prefetchTies(SB), NOSPLIT, $0-16
	MOVQ look+0(FP), AX
	MOVQ to+8(FP), BX
	MOVQ $0, CX
loop:
	MOVLQSX (BX)(CX*4), DX
	TESTQ DX, DX
	JS next
	SHLQ $6, DX
	PREFETCHT0 (AX)(DX*1)
next:
	INCQ CX
	CMPQ CX, $8
	JLT loop
	RET

// func prefetch(p unsafe.Pointer)
TEXT ·prefetch(SB), NOSPLIT, $0-8
	MOVQ p+0(FP), AX
	PREFETCHT0 (AX)
	RET
