#!/usr/bin/env bash
# Keep the English catalog in step with the Indonesian message ids:
#   scripts/translations.sh update   extract and merge new strings into en/messages.po
#   scripts/translations.sh compile  write messages.mo (committed, so installs need no step)
# Keywords: gettext/_/ngettext (pybabel's defaults) plus _l and lazy_gettext
# (lazy strings in forms) and lazy_ngettext. tests/test_i18n.py extracts with
# the same keywords and fails when a message id has no English translation.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
POT=archive/translations/messages.pot
case "${1:-}" in
  update)
    # "-q" is a global pybabel option: it goes before the command.
    # Directories starting with "." (.venv, .git) are skipped by default.
    $PYBABEL -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
      --add-comments=TRANSLATORS: --project="Arsip Studi Banding" --no-wrap \
      -o "$POT" .
    if [ -f archive/translations/en/LC_MESSAGES/messages.po ]; then
      $PYBABEL -q update -i "$POT" -d archive/translations -l en --no-fuzzy-matching --no-wrap
    else
      $PYBABEL -q init -i "$POT" -d archive/translations -l en --no-wrap
    fi ;;
  compile)
    $PYBABEL compile -d archive/translations -l en --statistics ;;
  *) echo "usage: $0 update|compile" >&2; exit 2 ;;
esac
