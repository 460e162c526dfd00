#!/usr/bin/python3
# CueGrid — GPL-3.0-or-later
# A file manager's drag source for the GUI tests: a small GTK 3 window that offers FILES as
# text/uri-list (file:// URIs) through the X drag-and-drop protocol (XDND), as Nautilus or
# Thunar do. The test presses the pointer on it (xdotool), moves to the drop target in steps
# and releases: a real XDND drop, handled by the target's own toolkit.
# Usage: xdnd_source.py READY_FILE X Y FILE...
#   The window (140 x 60) is placed at X, Y on the root window; once it is shown, READY_FILE
#   gets "source CX CY XID" (its centre, root coordinates, and its X window). Lines on stdout say how drags end
#   ("drag-end", "drag-failed <reason>"). It runs until killed.
# Needs python3-gi and gir1.2-gtk-3.0 (scripts/setup.sh).
import pathlib
import sys

import gi
gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
gi.require_version("GdkX11", "3.0")
from gi.repository import Gdk, GdkX11, GLib, Gtk  # noqa: E402,F401

ready_file, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
uris = [pathlib.Path(f).resolve().as_uri() for f in sys.argv[4:]]

window = Gtk.Window(title="xdnd source")
window.set_decorated(False)
window.set_default_size(140, 60)
window.move(x, y)
box = Gtk.EventBox()
label = Gtk.Label(label="%d file(s)" % len(uris))
box.add(label)
window.add(box)

box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
box.drag_source_add_uri_targets()


def on_data_get(widget, context, selection, info, time):
    selection.set_uris(uris)
    print("data-get", len(uris), flush=True)


def on_failed(widget, context, result):
    print("drag-failed", result.value_nick, flush=True)
    return True


box.connect("drag-data-get", on_data_get)
box.connect("drag-begin", lambda *_: print("drag-begin", flush=True))
box.connect("drag-end", lambda *_: print("drag-end", flush=True))
box.connect("drag-failed", on_failed)


def report_ready():
    origin = window.get_window().get_origin()
    width, height = window.get_size()
    pathlib.Path(ready_file).write_text("source %d %d %d\n" % (origin.x + width // 2, origin.y + height // 2,
                                                             window.get_window().get_xid()))
    return False


window.connect("map-event", lambda *_: GLib.timeout_add(200, report_ready))
window.connect("destroy", Gtk.main_quit)
window.show_all()
Gtk.main()
