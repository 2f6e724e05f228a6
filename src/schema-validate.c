/* schema-validate.c - not written yet. */
