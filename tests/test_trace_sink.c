/*
 * The trace sinks: every line says the time, the pid, and whether each
 * address is virtual or physical; walker accesses are marked; the pid and
 * range filters drop what they should and nothing else.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "trace/sink.h"

static struct trace_event miss = {
	.type = EV_TLB_MISS, .flags = TEV_WRITE, .pid = 3, .time = 1234,
	.addr = 0x12f40, .arg = { 4, 0 }, .str = "dtlb",
};

static struct trace_event walk = {
	.type = EV_WALK_LEVEL, .flags = TEV_WALKER | TEV_PHYS, .pid = 3,
	.time = 1234, .addr = 0x7e1b0a0,
	.arg = { 2, 0x12, 0x1f86c01, 0x7e1b000, 0x12f40 }, .str = "pte",
};

Test(trace_sink, text_marks_time_pid_and_address_kind)
{
	char buf[512];

	trace_format_text(&miss, buf, sizeof(buf));
	cr_assert_str_eq(buf, "t=1234 pid=3 tlb:miss dtlb store va=0x00012f40 "
			      "set=4 asid=0");
	trace_format_text(&walk, buf, sizeof(buf));
	cr_assert(strstr(buf, " walker "), "%s", buf);
	cr_assert(strstr(buf, " pa=0x007e1b0a0 "), "%s", buf);
	cr_assert(strstr(buf, " va=0x12f40"), "%s", buf);
	cr_assert(strstr(buf, "table_pa=0x7e1b000"), "%s", buf);
	cr_assert_null(strstr(buf, " va=0x0"), "%s", buf);
}

Test(trace_sink, json_is_one_object_with_kinds)
{
	char buf[768];

	trace_format_json(&miss, buf, sizeof(buf));
	cr_assert_str_eq(buf, "{\"t\":1234,\"pid\":3,\"event\":\"tlb:miss\","
			      "\"str\":\"dtlb\",\"access\":\"store\","
			      "\"va\":77632,\"set\":4,\"asid\":0}");
	trace_format_json(&walk, buf, sizeof(buf));
	cr_assert(strstr(buf, "\"walker\":true"), "%s", buf);
	cr_assert(strstr(buf, "\"pa\":132231328"), "%s", buf);
	cr_assert(buf[strlen(buf) - 1] == '}');
}

Test(trace_sink, json_escapes_strings)
{
	struct trace_event ev = { .type = EV_EXEC, .str = "a\"b\\c\n" };
	char buf[256];

	trace_format_json(&ev, buf, sizeof(buf));
	cr_assert(strstr(buf, "\"str\":\"a\\\"b\\\\c\\u000a\""), "%s", buf);
}

Test(trace_sink, truncation_keeps_a_string)
{
	char buf[16];

	cr_assert_eq(trace_format_text(&walk, buf, sizeof(buf)), 15);
	cr_assert_eq(strlen(buf), 15);
	cr_assert_eq(trace_format_json(&walk, buf, sizeof(buf)), 15);
	cr_assert_eq(buf[14], '}');
}

Test(trace_sink, filters)
{
	struct trace_filter f;

	trace_filter_init(&f);
	cr_assert(trace_filter_match(&f, &miss));
	f.pid = 4;
	cr_assert_not(trace_filter_match(&f, &miss));
	f.pid = 3;
	cr_assert_eq(trace_parse_range("0x12000-0x12fff", &f), 0);
	cr_assert(trace_filter_match(&f, &miss));
	/* a walk is judged by the va it walks, not the entry's pa */
	cr_assert(trace_filter_match(&f, &walk));
	cr_assert_eq(trace_parse_range("0x13000-0x13fff", &f), 0);
	cr_assert_not(trace_filter_match(&f, &miss));
	cr_assert_not(trace_filter_match(&f, &walk));
	/* an event without a virtual address passes */
	struct trace_event alloc = { .type = EV_PAGE_ALLOC, .flags = TEV_PHYS,
				     .pid = 3, .addr = 0x5000 };
	cr_assert(trace_filter_match(&f, &alloc));
	cr_assert_eq(trace_parse_range("5-4", &f), -1);
	cr_assert_eq(trace_parse_range("0x1000", &f), -1);
	cr_assert_eq(trace_parse_range("-1-5", &f), -1);
	cr_assert_eq(trace_parse_range("1-0x100000000", &f), -1);
}

Test(trace_sink, file_sink_writes_lines)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct trace_file_sink s = { .f = f };

	trace_filter_init(&s.filter);
	trace_sink_text(&s, &miss);
	trace_sink_json(&s, &walk);
	s.filter.pid = 9;
	trace_sink_text(&s, &miss);
	fclose(f);
	cr_assert_eq(s.lines, 2);
	cr_assert(strstr(text, "tlb:miss"));
	cr_assert(strstr(text, "\n{\"t\":1234"));
	free(text);
}

Test(trace_sink, output_options)
{
	struct trace_output out;
	char err[256];

	cr_assert_eq(trace_output_open(&out, &(struct trace_output_opts){
			.events = "tlb:*,mmu:walk_level", .format = "json",
			.pid = "2", .range = "0x1000-0x2000" }, err,
			sizeof(err)), 0, "%s", err);
	cr_assert_eq(out.mask, TRACE_BIT(EV_TLB_HIT) | TRACE_BIT(EV_TLB_MISS) |
			       TRACE_BIT(EV_TLB_FILL) | TRACE_BIT(EV_TLB_EVICT) |
			       TRACE_BIT(EV_TLB_FLUSH) |
			       TRACE_BIT(EV_WALK_LEVEL));
	cr_assert_eq(out.fn, trace_sink_json);
	cr_assert_eq(out.sink.filter.pid, 2);
	trace_output_close(&out);
	cr_assert_eq(trace_output_open(&out, &(struct trace_output_opts){
			.events = "tlb:nope" }, err, sizeof(err)), -1);
	cr_assert(strstr(err, "'tlb:nope'"), "%s", err);
	cr_assert_eq(trace_output_open(&out, &(struct trace_output_opts){
			.events = "all", .format = "xml" }, err, sizeof(err)), -1);
	cr_assert_eq(trace_output_open(&out, &(struct trace_output_opts){
			.pid = "1" }, err, sizeof(err)), -1);
	cr_assert_eq(trace_output_open(&out, &(struct trace_output_opts){
			.events = "all", .pid = "x" }, err, sizeof(err)), -1);
	cr_assert_eq(trace_output_open(&out, &(struct trace_output_opts){
			.events = "all", .file = "/nonexistent/dir/f" }, err,
			sizeof(err)), -1);
}
