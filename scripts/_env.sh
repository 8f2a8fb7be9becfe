# Sourced by scripts/run and scripts/test: make .venv and install a requirements file into it,
# again only when that file changed. Usage: ensure_venv requirements.txt
set -euo pipefail

ensure_venv() {
    local reqs="$1" py="${PYTHON:-}"
    if [ -z "$py" ]; then
        for candidate in python3.11 python3; do
            if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))'; then
                py="$candidate"; break
            fi
        done
    fi
    [ -n "$py" ] || { echo "WISH needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
    [ -x .venv/bin/python ] || "$py" -m venv .venv
    local stamp=".venv/.installed-$(basename "$reqs")"
    local want; want="$(cat requirements*.txt | sha256sum | cut -c1-16)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$reqs"
        echo "$want" > "$stamp"
    fi
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root for: $*" >&2; return 1; fi
}

ensure_chromium() {
    # Debian's chromium (Playwright's own browser download is not used) and fonts for Arabic and Farsi.
    if ! command -v chromium >/dev/null || ! dpkg -s fonts-noto-core >/dev/null 2>&1; then
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium fonts-noto-core fonts-dejavu-core >/dev/null
    fi
}

ensure_translations() {
    # Compile the Babel catalogs (.po -> .mo, which git ignores) when one is missing or older than its .po.
    local po stale=""
    for po in wish/translations/*/LC_MESSAGES/messages.po; do
        [ -e "$po" ] || continue
        if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then stale=1; break; fi
    done
    if [ -n "$stale" ]; then
        .venv/bin/pybabel -q compile -d wish/translations
    fi
}
