"""PyInstaller hook for PySide6.QtGui that collects only the Qt plugins cscdesk needs.

It replaces PyInstaller's own hook of the same name (hooks given in the spec's hookspath win).
Dropping plugins here, before PyInstaller follows their library dependencies, also keeps out the
desktop libraries they would pull in (GTK, cairo, pango for the GTK platform theme, EGL, evdev).
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

KEPT_PLUGIN_FOLDERS = {
    "platforms",  # windows (Windows); xcb, offscreen, minimal (Linux, where the bundle is tested)
    "platforminputcontexts",  # dead keys and input methods on Linux
    "imageformats",  # ico, gif, jpeg (PNG is built into QtGui)
}
DROPPED_PLUGINS = {
    # need Qt modules that are left out (QtSvg, QtPdf, OpenGL) or are for other hardware; on
    # Linux the xcb platform also serves Wayland desktops (through XWayland)
    "qsvg", "qpdf", "qvnc", "qeglfs", "qlinuxfb", "qminimalegl", "qvkkhrdisplay", "qwayland",
    # image formats the app never reads
    "qtiff", "qwebp", "qicns", "qtga", "qwbmp",
}


def _wanted(source: str) -> bool:
    parts = Path(source).parts
    if "plugins" not in parts:
        return True
    folder = parts[parts.index("plugins") + 1]
    plugin = Path(source).name.split(".")[0].removeprefix("lib")
    return folder in KEPT_PLUGIN_FOLDERS and plugin not in DROPPED_PLUGINS


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [entry for entry in binaries if _wanted(entry[0])]
