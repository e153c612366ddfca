#!/usr/bin/python3
"""Reads and clicks the app's tray menu over D-Bus, as a tray host would.

The app's tray icon is a StatusNotifierItem (libayatana-appindicator) registered with the
StatusNotifierWatcher; its menu is a com.canonical.dbusmenu object. Items are matched by label
(dbusmenu ids are small integers unrelated to the app's menu ids).

Run with Debian's /usr/bin/python3 (python3-dbus). Commands:
  wait [SECONDS]       wait until an item is registered and its menu has items; print it
  labels [SUBMENU]     print the visible item labels (of a submenu, by its label), one per
                       line; a checked radio item ends with " [x]"
  click LABEL          click the item with that label ("SUBMENU > LABEL" for a submenu item)
Exit status 0 on success, 1 with a message on stderr otherwise.
"""
import sys
import time
import xml.etree.ElementTree as ET

import dbus

WATCHER = "org.kde.StatusNotifierWatcher"
SNI_IFACE = "org.kde.StatusNotifierItem"
MENU_IFACE = "com.canonical.dbusmenu"
PROPS = "org.freedesktop.DBus.Properties"
# Short per-call timeout: a stale bus name must not stall a test for D-Bus's default 25 s.
CALL_TIMEOUT = 5

bus = dbus.SessionBus()


def watcher_items():
    obj = bus.get_object(WATCHER, "/StatusNotifierWatcher", introspect=False)
    return [str(i) for i in obj.Get(WATCHER, "RegisteredStatusNotifierItems",
                                     dbus_interface=PROPS, timeout=CALL_TIMEOUT)]


def find_sni_path(name, path="/"):
    """Depth-first search of `name`'s object tree for the object implementing the SNI interface.
    Starts under /org/ayatana, where libayatana-appindicator exports it."""
    obj = bus.get_object(name, path, introspect=False)
    xml = obj.Introspect(dbus_interface="org.freedesktop.DBus.Introspectable",
                         timeout=CALL_TIMEOUT)
    root = ET.fromstring(xml)
    if any(i.get("name") == SNI_IFACE for i in root.findall("interface")):
        return path
    for node in root.findall("node"):
        child = node.get("name")
        if path == "/" and child not in ("org", "StatusNotifierItem"):
            continue
        found = find_sni_path(name, path.rstrip("/") + "/" + child)
        if found:
            return found
    return None


def the_item():
    """(bus name, SNI path, menu path) of the one registered item that is still on the bus."""
    for entry in watcher_items():
        name, _, path = entry.partition("/")
        if not bus.name_has_owner(name):
            continue
        path = "/" + path if path else find_sni_path(name)
        if not path:
            continue
        sni = bus.get_object(name, path, introspect=False)
        menu = sni.Get(SNI_IFACE, "Menu", dbus_interface=PROPS, timeout=CALL_TIMEOUT)
        return name, path, str(menu)
    raise LookupError("no StatusNotifierItem is registered with the watcher")


def menu_items(submenu=None):
    """[(dbusmenu id, label, checked)] of the visible, non-separator items at the top level, or
    of the submenu with that label."""
    name, _, menu_path = the_item()
    menu = dbus.Interface(bus.get_object(name, menu_path, introspect=False), MENU_IFACE)
    menu.AboutToShow(0, timeout=CALL_TIMEOUT)
    _revision, (_id, _props, children) = menu.GetLayout(0, -1, dbus.Array([], signature="s"),
                                                         timeout=CALL_TIMEOUT)

    def visible(children):
        out = []
        for cid, props, grandchildren in children:
            if props.get("type", "standard") == "separator" or not props.get("visible", True):
                continue
            # GTK mnemonics: a single underscore marks the access key.
            label = (str(props.get("label", "")).replace("__", "\0").replace("_", "")
                     .replace("\0", "_"))
            out.append((int(cid), label, int(props.get("toggle-state", 0)) == 1, grandchildren))
        return out

    items = visible(children)
    if submenu is not None:
        for cid, label, _, grandchildren in items:
            if label == submenu:
                menu.AboutToShow(cid, timeout=CALL_TIMEOUT)
                items = visible(grandchildren)
                break
        else:
            raise LookupError("no submenu %r" % submenu)
    return name, menu_path, [(cid, label, checked) for cid, label, checked, _ in items]


def main(argv):
    cmd = argv[1] if len(argv) > 1 else "labels"
    if cmd == "wait":
        deadline = time.monotonic() + float(argv[2] if len(argv) > 2 else 20)
        last = None
        while time.monotonic() < deadline:
            try:
                name, path, items = menu_items()
                if items:
                    print(name, path, [label for _, label, _ in items])
                    return 0
            except (dbus.DBusException, LookupError) as e:
                last = e
            time.sleep(0.1)
        print("no tray item with a menu appeared: %s" % last, file=sys.stderr)
        return 1
    if cmd == "labels":
        for _, label, checked in menu_items(argv[2] if len(argv) > 2 else None)[2]:
            print(label + (" [x]" if checked else ""))
        return 0
    if cmd == "click":
        want = argv[2]
        submenu = None
        if " > " in want:
            submenu, want = want.split(" > ", 1)
        name, menu_path, items = menu_items(submenu)
        for cid, label, _ in items:
            if label == want:
                menu = dbus.Interface(bus.get_object(name, menu_path, introspect=False), MENU_IFACE)
                menu.Event(cid, "clicked", dbus.Int32(0, variant_level=1),
                           dbus.UInt32(int(time.time())), timeout=CALL_TIMEOUT)
                return 0
        print("no menu item %r; the menu has %r" % (want, [l for _, l, _ in items]),
              file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (dbus.DBusException, LookupError) as e:
        print("tray: %s" % e, file=sys.stderr)
        sys.exit(1)
