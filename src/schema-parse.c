/* schema-parse.c - not written yet. */
