# Shared settings of the bin/ scripts. Sourced, not run.
# shellcheck shell=bash
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo18}"
VENV="${VENV:-$PROJECT_DIR/.venv}"
# Linters and benchmark tools live apart: their dependencies clash with Odoo's pins.
TOOLS_VENV="${TOOLS_VENV:-$PROJECT_DIR/.venv-tools}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
export PGHOST="${PGHOST:-127.0.0.1}"

die() { echo "error: $*" >&2; exit 1; }

require_odoo() {
    if [ ! -f "$ODOO_PATH/odoo-bin" ] || ! grep -q "18, 0" "$ODOO_PATH/odoo/release.py" 2>/dev/null; then
        cat >&2 <<MSG
error: no Odoo 18.0 source tree at ODOO_PATH=$ODOO_PATH

This project needs the Odoo 18.0 Community source tree (it is not on PyPI).
Get one and either unpack it at /opt/odoo18 (the default) or export ODOO_PATH:

    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /opt/odoo18
    # or: export ODOO_PATH=/path/to/your/odoo-18.0

The folder must contain odoo-bin and odoo/release.py of version 18.0.
MSG
        exit 2
    fi
}

# Fetch the Odoo 18.0 tree into ODOO_PATH when it is missing and the network
# allows (a shallow clone of the 18.0 branch); otherwise leave it to
# require_odoo to say what to do.
ensure_odoo() {
    if [ -f "$ODOO_PATH/odoo-bin" ] || ! command -v git >/dev/null; then
        return 0
    fi
    if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
        return 0  # something else is there: do not overwrite it
    fi
    echo "setup: no Odoo tree at $ODOO_PATH; fetching Odoo 18.0 (shallow clone)"
    local tmp="$ODOO_PATH.partial.$$"
    if GIT_TERMINAL_PROMPT=0 timeout 900 git clone -q --depth 1 --branch 18.0 \
        "${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}" "$tmp"; then
        mkdir -p "$(dirname "$ODOO_PATH")"
        rmdir "$ODOO_PATH" 2>/dev/null || true
        mv "$tmp" "$ODOO_PATH"
    else
        rm -rf "$tmp"
        echo "setup: could not fetch Odoo 18.0 (no network access to the repository?)" >&2
    fi
}

# The project's addons: the folders of the project holding a manifest.
project_addons() {
    local d
    for d in "$PROJECT_DIR"/*/__manifest__.py; do
        [ -f "$d" ] && basename "$(dirname "$d")"
    done
}

# The project's addons joined by commas (for --init/--update) and as test tags.
project_addons_csv() { project_addons | paste -sd, -; }

# OCA addons the product does not depend on but works with, installed with
# it in the test databases (bin/test, bin/test-upstream) so that the
# coexistence tests and their own suites run: a vendor may install them.
# account_invoice_section_sale_order: sections per order of other invoices.
OPTIONAL_ADDONS=account_invoice_section_sale_order
test_addons_csv() { echo "$(project_addons_csv),$OPTIONAL_ADDONS"; }
project_test_tags() { project_addons | sed 's|^|/|' | paste -sd, -; }

require_venv() {
    [ -x "$VENV/bin/python" ] || die "no virtualenv at $VENV: run bin/setup first"
    # Odoo finds an addon installed in the virtualenv before the addons path:
    # one installed (editable) from another checkout would shadow this one.
    local addon where
    for addon in $(project_addons); do
        where="$("$VENV/bin/python" -c "import importlib.util, os, sys
spec = importlib.util.find_spec('odoo.addons.' + sys.argv[1])
print(os.path.realpath(spec.submodule_search_locations[0]) if spec else '')" "$addon" 2>/dev/null || true)"
        if [ -n "$where" ] && [ "$where" != "$(realpath "$PROJECT_DIR/$addon")" ]; then
            die "the virtualenv $VENV has $addon from $where, not from this checkout: run bin/setup here, or set VENV to a virtualenv of this checkout"
        fi
    done
}

# Run a command as the postgres system user (PostgreSQL refuses to run as root).
as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Start a private PostgreSQL cluster in $1 on port $2, owned by the postgres
# user, with a superuser role for the current user. Idempotent.
pg_start_private() {
    local dir="$1" port="$2"
    local me
    me="$(id -un)"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    if [ ! -f "$dir/PG_VERSION" ]; then
        as_postgres "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        as_postgres "$PG_BIN/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
            -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null
    fi
    if [ "$me" != postgres ]; then
        psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
            "SELECT 1 FROM pg_roles WHERE rolname='$me'" | grep -q 1 ||
            psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE ROLE \"$me\" SUPERUSER LOGIN" >/dev/null
    fi
}

pg_stop_private() {
    local dir="$1"
    as_postgres "$PG_BIN/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
}

odoo_bin() {
    "$VENV/bin/python" "$ODOO_PATH/odoo-bin" "$@"
}
