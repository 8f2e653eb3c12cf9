#!/usr/bin/env bash
# Keep the English catalog in step with the Indonesian message ids:
#   scripts/translations.sh update   extract and merge new strings into en/messages.po
#   scripts/translations.sh compile  write messages.mo (committed, so installs need no step)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
case "${1:-}" in
  update)
    $PYBABEL extract -q -F babel.cfg -k _l -k lazy_gettext -o archive/translations/messages.pot .
    if [ -f archive/translations/en/LC_MESSAGES/messages.po ]; then
      $PYBABEL update -q -i archive/translations/messages.pot -d archive/translations -l en --no-fuzzy-matching
    else
      $PYBABEL init -q -i archive/translations/messages.pot -d archive/translations -l en
    fi ;;
  compile)
    $PYBABEL compile -q -d archive/translations ;;
  *) echo "usage: $0 update|compile" >&2; exit 2 ;;
esac
