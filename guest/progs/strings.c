/*
 * picolibc's string and stdio code on the interpreter: printf formats,
 * snprintf truncation, qsort, strtol/strtoul with bases and overflow,
 * memmove overlaps, strstr/strchr/strtok.  Deterministic text; exits 0.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* volatile, so that gcc cannot see (and warn about) the truncations. */
static const char *volatile long_src = "overflowing";
static volatile size_t long_len = 10;
static volatile size_t one = 1;

static void formats(void)
{
	char buf[256];
	int n;

	printf("[%d] [%i] [%5d] [%-5d] [%05d] [%+d] [% d]\n", -42, 42, 42, 42,
	       42, 42, 42);
	printf("[%u] [%x] [%X] [%#x] [%#o] [%o]\n", 3000000000u, 0xbeefu,
	       0xbeefu, 255u, 8u, 511u);
	printf("[%ld] [%lu] [%lx] [%lld] [%llx]\n", LONG_MIN, ULONG_MAX,
	       0x12345678ul, (long long)INT64_MIN,
	       (unsigned long long)0x123456789abcdefull);
	printf("[%hhd] [%hd] [%hu] [%zu] [%td]\n", (signed char)-3,
	       (short)-30000, (unsigned short)65535, (size_t)12345,
	       (ptrdiff_t)-7);
	printf("[%s] [%10s] [%-10s] [%.3s] [%c] [%%]\n", "abc", "right",
	       "left", "truncate", 'Z');
	printf("[%*d] [%-*d] [%.*s]\n", 6, 12, 6, 12, 2, "xyz");
	printf("[%f] [%.2f] [%e] [%g] [%g] [%10.3f]\n", 3.14159, -2.005,
	       12345.678, 0.0001, 1e20, 2.5);
	n = snprintf(buf, long_len, "%s-%d", long_src, 123456);
	printf("snprintf n=%d buf=[%s]\n", n, buf);
	n = snprintf(NULL, 0, "%08x", 0x1234u);
	printf("snprintf(NULL) n=%d\n", n);
	n = sprintf(buf, "%p", (void *)0x1000);
	printf("%%p len=%d\n", n);
}

static void conversions(void)
{
	static const struct {
		const char *s;
		int base;
	} in[] = {
		{ "12345", 10 },     { "-0x1f", 16 },	 { "0x1f", 0 },
		{ "0777", 0 },	     { "zz", 36 },	 { "2147483647", 10 },
		{ "2147483648", 10 }, { "-2147483649", 10 }, { "  +17xyz", 10 },
		{ "", 10 },	     { "101101", 2 },
	};

	for (unsigned i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *end;
		long v;
		unsigned long u;
		int e1, e2;

		errno = 0;
		v = strtol(in[i].s, &end, in[i].base);
		e1 = errno == ERANGE;
		errno = 0;
		u = strtoul(in[i].s, NULL, in[i].base);
		e2 = errno == ERANGE;
		printf("strtol(\"%s\",%d)=%ld range=%d rest=\"%s\" strtoul=%lu range=%d\n",
		       in[i].s, in[i].base, v, e1, end, u, e2);
	}
	printf("atoi=%d atol=%ld\n", atoi("-99"), atol("123456789"));
}

static void sorting(void)
{
	int v[64];
	const char *w[] = { "pear", "apple", "fig", "banana", "kiwi",
			    "cherry", "date", "apple" };
	uint32_t x = 12345;

	for (unsigned i = 0; i < 64; i++) {
		x = x * 1103515245u + 12345u;
		v[i] = (int)(x >> 8) % 1000 - 500;
	}
	qsort(v, 64, sizeof(v[0]), cmp_int);
	for (unsigned i = 0; i < 64; i++)
		printf("%d%c", v[i], i % 16 == 15 ? '\n' : ' ');
	qsort(w, 8, sizeof(w[0]), cmp_str);
	for (unsigned i = 0; i < 8; i++)
		printf("%s%c", w[i], i == 7 ? '\n' : ',');
	int key = v[40];
	int *hit = bsearch(&key, v, 64, sizeof(v[0]), cmp_int);
	printf("bsearch %d found=%d\n", key, hit && *hit == key);
}

static void strings(void)
{
	char buf[64] = "0123456789abcdef";
	char tok[] = "a,b;;c,,d;e";
	char *p, *save;

	memmove(buf + 2, buf, 10);
	printf("memmove up: %s\n", buf);
	memmove(buf, buf + 3, 10);
	printf("memmove down: %s\n", buf);
	memset(buf + 4, '#', 3);
	printf("memset: %s len=%zu\n", buf, strlen(buf));
	printf("strstr=%s strchr=%s strrchr=%s\n", strstr("haystack", "st"),
	       strchr("a.b.c", '.'), strrchr("a.b.c", '.'));
	printf("strcmp=%d strncmp=%d memcmp=%d\n",
	       strcmp("abc", "abd") < 0, strncmp("abcx", "abcy", 3),
	       memcmp("\xff", "\x01", 1) > 0);
	printf("strspn=%zu strcspn=%zu\n", strspn("aabbcx", "abc"),
	       strcspn("hello world", " "));
	for (p = strtok_r(tok, ",;", &save); p; p = strtok_r(NULL, ",;", &save))
		printf("tok[%s] ", p);
	printf("\n");
	strcpy(buf, "con");
	strcat(buf, "catenate");
	strncat(buf, "dxyz", one);
	printf("strcat: %s\n", buf);
	char *d = strdup("duplicate");
	printf("strdup: %s %d\n", d, d != NULL);
	free(d);
}

int main(void)
{
	formats();
	conversions();
	sorting();
	strings();
	return 0;
}
