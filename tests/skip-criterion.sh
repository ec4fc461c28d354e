#!/bin/sh
# Stands in for the Criterion unit tests when configure found no Criterion.
echo "1..0 # SKIP Criterion not installed (Debian package libcriterion-dev)"
