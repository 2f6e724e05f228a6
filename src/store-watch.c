/* store-watch.c - not written yet. */
