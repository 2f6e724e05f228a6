/* store-link.c - not written yet. */
