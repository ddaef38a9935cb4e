// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "multios_features": the feature list other modules announce
 * themselves in (/sys/kernel/multios/features). Bad names are refused and
 * change nothing; a name is listed once.
 */
#include <kunit/test.h>

#include "../shim/core.h"

static void add_and_remove_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, multios_feature_add("kunit_probe"), 0);
	KUNIT_EXPECT_EQ(test, multios_feature_add("kunit_probe"), -EEXIST);
	multios_feature_remove("kunit_probe");
	KUNIT_EXPECT_EQ(test, multios_feature_add("kunit_probe"), 0);
	multios_feature_remove("kunit_probe");
	multios_feature_remove("kunit_probe");	/* absent: nothing happens */
}

static void bad_names_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, multios_feature_add(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, multios_feature_add(""), -EINVAL);
	KUNIT_EXPECT_EQ(test, multios_feature_add("two words"), -EINVAL);
	KUNIT_EXPECT_EQ(test, multios_feature_add("tab\there"), -EINVAL);
	KUNIT_EXPECT_EQ(test, multios_feature_add("line\n"), -EINVAL);
	KUNIT_EXPECT_EQ(test, multios_feature_add("Upper"), -EINVAL);
	KUNIT_EXPECT_EQ(test, multios_feature_add("a_name_much_longer_than_the_31_bytes_allowed"),
			-EINVAL);
}

static struct kunit_case features_cases[] = {
	KUNIT_CASE(add_and_remove_test),
	KUNIT_CASE(bad_names_test),
	{}
};

static struct kunit_suite features_suite = {
	.name = "multios_features",
	.test_cases = features_cases,
};

kunit_test_suite(features_suite);
