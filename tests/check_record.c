#include "testlib.h"
int main(void) { return test_run(suite_create("record")); }
