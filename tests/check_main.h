/*
 * check_main.h - the main() of every Check test binary.
 *
 * HL_CHECK_MAIN(suite_fn) runs the suite that suite_fn() builds, honouring
 * Check's CK_RUN_SUITE, CK_RUN_CASE and CK_VERBOSITY, and fails when the
 * selection ran no test at all: ctest runs one TCase per entry through
 * CK_RUN_CASE, and a mistyped or stale case name must not pass.
 */
#ifndef HL_TESTS_CHECK_MAIN_H
#define HL_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* The value of an environment variable for a message, never NULL. */
static inline const char *
hl_check_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? v : "(unset)";
}

/*
 * Adds to s the test case `name`, with a checked fixture (setup and
 * teardown; both NULL: none) and the tests listed after it, up to a NULL.
 * Returns it, for loop tests and timeouts.
 */
static inline TCase *
hl_check_case(Suite *s, const char *name, SFun setup, SFun teardown, ...)
{
	TCase *tc = tcase_create(name);
	const TTest *test;
	va_list ap;

	if (setup || teardown)
		tcase_add_checked_fixture(tc, setup, teardown);
	va_start(ap, teardown);
	while ((test = va_arg(ap, const TTest *)) != NULL)
		tcase_add_test(tc, test);
	va_end(ap);
	suite_add_tcase(s, tc);
	return tc;
}

#define HL_CHECK_MAIN(suite_fn)                                                \
	int main(void)                                                         \
	{                                                                      \
		SRunner *sr = srunner_create(suite_fn());                      \
		int nrun, nfail;                                               \
                                                                               \
		srunner_run_all(sr, CK_ENV);                                   \
		nrun = srunner_ntests_run(sr);                                 \
		nfail = srunner_ntests_failed(sr);                             \
		srunner_free(sr);                                              \
		if (nrun == 0) {                                               \
			fprintf(stderr,                                        \
				"no test matched CK_RUN_SUITE=%s "             \
				"CK_RUN_CASE=%s\n",                            \
				hl_check_env("CK_RUN_SUITE"),                  \
				hl_check_env("CK_RUN_CASE"));                  \
			return EXIT_FAILURE;                                   \
		}                                                              \
		return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;               \
	}

#endif
