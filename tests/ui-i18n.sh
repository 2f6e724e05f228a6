#!/bin/sh
# tests/ui-i18n.sh - placeholder: its screens land this session.
. "$(dirname "$0")/lib.sh"
skip_all "not written yet"
