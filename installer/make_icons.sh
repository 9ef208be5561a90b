#!/usr/bin/env bash
# Rasterise resources/icons/cscdesk.svg into the PNG sizes and the multi-size Windows .ico.
# Needs rsvg-convert (Debian: librsvg2-bin) and Pillow (pip install pillow).  The outputs are
# committed, so a build never needs this script; run it after changing the SVG.
set -euo pipefail
icons="$(cd "$(dirname "$0")/../resources/icons" && pwd)"
sizes=(16 24 32 48 64 128 256)
for size in "${sizes[@]}"; do
    rsvg-convert --width "$size" --height "$size" "$icons/cscdesk.svg" -o "$icons/cscdesk-$size.png"
done
python - "$icons" "${sizes[@]}" <<'PY'
import sys
from pathlib import Path

from PIL import Image

folder, sizes = Path(sys.argv[1]), [int(s) for s in sys.argv[2:]]
images = [Image.open(folder / f"cscdesk-{size}.png").convert("RGBA") for size in sizes]
largest = images[-1]
largest.save(folder / "cscdesk.ico", sizes=[(s, s) for s in sizes], append_images=images[:-1])
print(f"wrote {folder / 'cscdesk.ico'} with sizes {sizes}")
PY
