/* store-record.c - not written yet. */
