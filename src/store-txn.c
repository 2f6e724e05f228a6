/* store-txn.c - not written yet. */
