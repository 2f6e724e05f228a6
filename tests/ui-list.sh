#!/bin/sh
# tests/ui-list.sh - placeholder: its screens land this session.
. "$(dirname "$0")/lib.sh"
skip_all "not written yet"
