/* store-verify.c - not written yet. */
