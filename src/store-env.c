/* store-env.c - not written yet. */
