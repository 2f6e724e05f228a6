/* schema-codes.c - not written yet. */
