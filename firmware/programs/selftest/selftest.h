/* ISA self-tests of the core, run by selftest.c: one console line per check. */
#ifndef SELFTEST_H
#define SELFTEST_H

#include <nmtwin/fw.h>

/* Prints "ok   name" or "FAIL name: got .. want .." and counts failures. */
void check(const char *name, uint32_t got, uint32_t want);
void test_alu(void);
void test_muldiv(void);
void test_memory(void);
void test_csr(void);
void test_traps(void);
void test_timer(void);

#endif
