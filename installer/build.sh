#!/usr/bin/env bash
# Build the one-folder cscdesk bundle into dist/cscdesk/ from this source tree.
#
# Run it inside an activated virtual environment (Python 3.11 or later):
#     python3 -m venv .venv && . .venv/bin/activate && installer/build.sh
# It installs the project (editable) with PyInstaller into that environment unless both are
# already there for this source tree, builds, and prints the bundle's size and the build time.
#
# Options:  --dist DIR   put the bundle in DIR/cscdesk (default: dist/ at the top of the tree)
#           --work DIR   PyInstaller's work folder (default: build/pyinstaller)
#           --no-install never run pip (fail if something is missing)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="$root/dist"
work="$root/build/pyinstaller"
install=auto
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dist) dist="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
        --work) work="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
        --no-install) install=never; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

python="${PYTHON:-python}"
if [[ -z "${VIRTUAL_ENV:-}" && -z "${PYTHON:-}" ]]; then
    echo "build.sh: activate a virtual environment first (python3 -m venv .venv && . .venv/bin/activate)." >&2
    exit 2
fi
"$python" - <<'PY' || { echo "build.sh: Python 3.11 or later is needed." >&2; exit 2; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

# Installed already?  PyInstaller importable, and cscdesk installed from this very tree.
installed_here() {
    "$python" - "$root" <<'PY'
import json, sys
from importlib import metadata
from pathlib import Path

try:
    import PyInstaller  # noqa: F401
    dist = metadata.distribution("cscdesk")
except (ImportError, metadata.PackageNotFoundError):
    sys.exit(1)
origin = json.loads(dist.read_text("direct_url.json") or "{}")
editable = origin.get("dir_info", {}).get("editable", False)
here = origin.get("url", "").removeprefix("file://") == str(Path(sys.argv[1]).resolve())
sys.exit(0 if editable and here else 1)
PY
}

start=$(date +%s)
if [[ "$install" == auto ]] && ! installed_here; then
    echo "==> installing cscdesk and PyInstaller into $("$python" -c 'import sys; print(sys.prefix)')"
    "$python" -m pip install --quiet --disable-pip-version-check -e "$root[bundle]"
elif [[ "$install" == never ]] && ! installed_here; then
    echo "build.sh: cscdesk (from $root) or PyInstaller is not installed, and --no-install was given." >&2
    exit 2
else
    echo "==> cscdesk and PyInstaller already installed from this tree"
fi

echo "==> building $dist/cscdesk"
mkdir -p "$dist" "$work"
# Keep the build output out of version control without touching the project's ignore rules.
for folder in "$dist" "$work"; do
    [[ -e "$folder/.gitignore" ]] || echo '*' > "$folder/.gitignore"
done
"$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$dist" --workpath "$work" "$root/installer/cscdesk.spec"

end=$(date +%s)
size=$(du -sm "$dist/cscdesk" | cut -f1)
echo "==> built $dist/cscdesk: ${size} MB in $((end - start)) s"
echo "    run it: $dist/cscdesk/cscdesk (no command opens the window; --help lists the commands)"
