#include <criterion/criterion.h>
Test(placeholder, todo) { cr_skip("not written yet"); }
