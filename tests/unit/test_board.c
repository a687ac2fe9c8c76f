#include <criterion/criterion.h>
Test(board, placeholder) {}
