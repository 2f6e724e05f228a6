/* schema-load.c - not written yet. */
