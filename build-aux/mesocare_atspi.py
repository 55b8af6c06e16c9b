# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the Mesocare window and drive it over AT-SPI, as a screen reader would.

Shared by tests/test-a11y.py and build-aux/screenshot. Standard library and
gi.repository.Atspi only. Must run under an X server and a session bus
(xvfb-run ... dbus-run-session -- /usr/bin/python3 ...).

Notes on GTK 4.8 over AT-SPI:
- hidden widgets are left out of the tree, but no widget carries the SHOWING
  state: an object counts as on screen when its extents have a size, and the
  pages of a GtkStack are told apart by a hit test (see is_visible_stack_page);
- Component.GrabFocus is not supported, and check boxes expose no action, so
  they are toggled with a synthesized click at their centre (GTK cannot tell
  where its window is on the screen: see WINDOW_ORIGIN);
- Text.get_text(0, -1) returns '': pass the character count.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi, GLib  # noqa: E402

APP_PATH = 'io/github/mesocare/Mesocare'  # of the GSettings schema, as a keyfile group

# Stable ids (as stored in session_areas) and the labels shown for them.
AREAS = {
    'face': 'Face',
    'scalp': 'Scalp',
    'neck': 'Neck',
    'decolletage': 'Décolleté',
    'abdomen': 'Abdomen',
    'flanks': 'Flanks',
    'thighs': 'Thighs',
    'buttocks': 'Buttocks',
    'arms': 'Arms',
}

R = Atspi.Role
INTERACTIVE_ROLES = {
    R.PUSH_BUTTON, R.TOGGLE_BUTTON, R.CHECK_BOX, R.RADIO_BUTTON, R.TEXT, R.ENTRY,
    R.PASSWORD_TEXT, R.SPIN_BUTTON, R.COMBO_BOX, R.SLIDER, R.LINK, R.PAGE_TAB,
    R.MENU_ITEM, R.CHECK_MENU_ITEM, R.RADIO_MENU_ITEM, R.PUSH_BUTTON_MENU,
}
for _extra in ('SWITCH', 'BUTTON'):  # newer libatspi only
    if hasattr(R, _extra):
        INTERACTIVE_ROLES.add(getattr(R, _extra))


class Timeout(Exception):
    pass


class AppDied(Exception):
    pass


# A build with the sanitizers runs several times slower (build-aux/test --sanitize sets
# it to 3): every deadline stretches with it, as meson's own timeouts do.
TIMEOUT_SCALE = float(os.environ.get('MESOCARE_TEST_TIMEOUT_SCALE') or 1)


def wait_for(what, predicate, timeout=10.0, interval=0.05):
    """Polls predicate() until it returns something true, and returns that."""
    timeout *= TIMEOUT_SCALE
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
            last_error = None
        except GLib.Error as error:  # an object destroyed while we looked: look again
            value, last_error = None, error
        if value:
            return value
        if time.monotonic() >= deadline:
            raise Timeout(f'timed out after {timeout:g} s waiting for {what}'
                          + (f' (last error: {last_error.message})' if last_error else ''))
        time.sleep(interval)  # between two looks: what is awaited is predicate()


# --- Reading accessible objects -------------------------------------------------------

def role(obj):
    return obj.get_role()


def role_name(obj):
    return obj.get_role_name()


def name(obj):
    return obj.get_name() or ''


def states(obj):
    return set(obj.get_state_set().get_states())


def has_state(obj, state):
    return state in states(obj)


def interfaces(obj):
    return set(obj.get_interfaces())


def text(obj):
    """The whole text of obj (label, entry, spin button), or None."""
    if 'Text' not in interfaces(obj):
        return None
    return Atspi.Text.get_text(obj, 0, Atspi.Text.get_character_count(obj))


def extents(obj):
    """The box of obj, in window coordinates; None if it has no Component."""
    if 'Component' not in interfaces(obj):
        return None
    return obj.get_extents(Atspi.CoordType.WINDOW)


def is_shown(obj):
    """On screen: SHOWING where the toolkit sets it, else a non-empty size."""
    if Atspi.StateType.SHOWING in states(obj):
        return True
    rect = extents(obj)
    if rect is None:
        return is_visible_stack_page(obj)
    return rect.width > 0 and rect.height > 0


def is_visible_stack_page(page):
    """Whether page, an object with no Component (in GTK 4.8, a GtkStackPage), is the
    page its stack shows. A hidden page keeps the size it last had, so ask the stack
    what is drawn at the centre of the page's child: GTK picks among mapped widgets."""
    kids = children(page)
    stack = page.get_parent()
    if not kids or stack is None or 'Component' not in interfaces(stack):
        return True  # not a stack page: nothing to tell
    rect = extents(kids[0])
    if rect is None or rect.width <= 0 or rect.height <= 0:
        return False
    # GTK 4.8 answers a hit test with nothing when the widget hit is not on the bus
    # yet: put all the pages there first (by asking for them).
    for _ in walk(stack, shown_only=False):
        pass
    hit = stack.get_accessible_at_point(rect.x + rect.width // 2, rect.y + rect.height // 2,
                                        Atspi.CoordType.WINDOW)
    if hit is None:
        return True  # cannot tell
    while hit is not None and hit.path != stack.path:
        if hit.path == kids[0].path:
            return True
        hit = hit.get_parent()
    return False


def children(obj):
    result = []
    for i in range(obj.get_child_count()):
        child = obj.get_child_at_index(i)
        if child is not None:
            result.append(child)
    return result


def walk(obj, shown_only=True):
    """obj and its descendants, depth first; hidden subtrees are left out, and so
    are objects destroyed while we look (the window changes under us)."""
    try:
        if shown_only and not is_shown(obj):
            return
        kids = children(obj)
    except GLib.Error:
        return
    yield obj
    for child in kids:
        yield from walk(child, shown_only)


def relation_targets(obj, relation_type):
    targets = []
    for relation in obj.get_relation_set():
        if relation.get_relation_type() == relation_type:
            targets += [relation.get_target(i) for i in range(relation.get_n_targets())]
    return targets


def describe(obj):
    """One line for diagnostics: role, name, states."""
    nicks = sorted(s.value_nick for s in states(obj))
    return f'{role_name(obj)} {name(obj)!r} [{",".join(nicks)}]'


def find_all(root, predicate):
    """The shown objects under root (root included) for which predicate is true."""
    def test(obj):
        try:
            return predicate(obj)
        except GLib.Error:  # destroyed meanwhile
            return False
    return [obj for obj in walk(root) if test(obj)]


def find_first(root, predicate):
    """The shown object under root (root included) nearest to it for which predicate is
    true, or None. It stops there: what shows near the top, such as a toast that is gone
    in 4 s, is found in a few calls, where a walk of the whole window can take longer
    than that on a loaded machine."""
    level = [root]
    while level:
        below = []
        for obj in level:
            try:
                if not is_shown(obj):
                    continue
                if predicate(obj):
                    return obj
                below += children(obj)
            except GLib.Error:  # destroyed meanwhile
                continue
        level = below
    return None


def find_label_containing(root, fragment):
    return find_first(root, lambda o: role(o) == R.LABEL and fragment in (text(o) or name(o)))


# --- Acting on them -------------------------------------------------------------------

def set_text(obj, value):
    if not Atspi.EditableText.set_text_contents(obj, value):
        raise RuntimeError(f'could not set the text of {describe(obj)}')


def set_value(obj, value):
    if not Atspi.Value.set_current_value(obj, float(value)):
        raise RuntimeError(f'could not set the value of {describe(obj)}')


def activate(obj):
    """Runs the object's first action ("click" for a button)."""
    if not Atspi.Action.do_action(obj, 0):
        raise RuntimeError(f'could not activate {describe(obj)}')


# Where window coordinates start on the screen: with no window manager the window
# sits at the origin, and GTK 4.8 (no compositor) draws a 5 px frame around it.
WINDOW_ORIGIN = (5, 5)


def click(obj):
    """A synthesized left click at the centre of obj."""
    rect = extents(obj)
    x = WINDOW_ORIGIN[0] + rect.x + rect.width // 2
    y = WINDOW_ORIGIN[1] + rect.y + rect.height // 2
    if not Atspi.generate_mouse_event(x, y, 'b1c'):
        raise RuntimeError(f'could not click {describe(obj)}')


def move_pointer(x, y):
    """Moves the pointer to (x, y) of the window, e.g. away from what it hovers."""
    Atspi.generate_mouse_event(WINDOW_ORIGIN[0] + x, WINDOW_ORIGIN[1] + y, 'abs')


def press_key(keysym):
    """A synthesized key press and release, e.g. press_key(TAB)."""
    if not Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM):
        raise RuntimeError(f'could not press key {keysym:#x}')


TAB = 0xff09
RETURN = 0xff0d
ALT = 1 << 3  # the X modifier mask of Alt (Mod1)


def press_keys(modifiers, keysym):
    """A key pressed and released while modifiers are held, e.g. Alt+3:
    press_keys(ALT, ord('3')). The modifiers are an X modifier mask: they are locked
    around the key (a key press of the modifier itself would need its keycode)."""
    synth = Atspi.KeySynthType
    if not Atspi.generate_keyboard_event(modifiers, None, synth.LOCKMODIFIERS):
        raise RuntimeError(f'could not lock the modifiers {modifiers:#x}')
    try:
        press_key(keysym)
    finally:
        Atspi.generate_keyboard_event(modifiers, None, synth.UNLOCKMODIFIERS)


def find_all_in(objects, state):
    """Those of objects in that state (objects destroyed meanwhile are left out)."""
    found = []
    for obj in objects:
        try:
            if state in states(obj):
                found.append(obj)
        except GLib.Error:
            pass
    return found


def focused(root):
    """The shown object that has the keyboard focus, or None."""
    found = find_all(root, lambda o: Atspi.StateType.FOCUSED in states(o))
    return found[-1] if found else None


def set_checked(obj, checked=True, timeout=10.0):
    """Checks (or unchecks) a check box: its own action if it has one, else a click."""
    if has_state(obj, Atspi.StateType.CHECKED) == checked:
        return
    actions = []
    if 'Action' in interfaces(obj):
        actions = [Atspi.Action.get_name(obj, i) for i in range(Atspi.Action.get_n_actions(obj))]
    if actions:
        Atspi.Action.do_action(obj, 0)
    else:
        click(obj)
    wait_for(f'{describe(obj)} to be {"checked" if checked else "unchecked"}',
             lambda: has_state(obj, Atspi.StateType.CHECKED) == checked, timeout)


# --- The application ------------------------------------------------------------------

class Mesocare:
    """The mesocare binary, run in a private XDG tree, found on the AT-SPI desktop.

    Use as a context manager: the process is always killed and the tree removed.
    settings: GSettings keys to start with, as GVariant text ({'clinic-name': "'X'"});
    without it, the settings are in memory and at their defaults."""

    def __init__(self, exe, schema_dir=None, env=None, settings=None):
        self.exe = exe
        self.schema_dir = schema_dir
        self.extra_env = env or {}
        self.settings = settings
        self.root = None
        self.proc = None
        self.app = None
        self.window = None
        self.log_path = None
        self._controls = {}

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    @property
    def db_path(self):
        return os.path.join(self.root, 'data', 'mesocare', 'mesocare.db')

    def start(self):
        self.root = tempfile.mkdtemp(prefix='mesocare-atspi-')
        env = dict(os.environ)
        # The tests' environment turns the bridge off for in-process tests: this
        # window must be on the bus.
        env.pop('NO_AT_BRIDGE', None)
        for var, sub in (('XDG_DATA_HOME', 'data'), ('XDG_CONFIG_HOME', 'config'),
                         ('XDG_CACHE_HOME', 'cache'), ('XDG_RUNTIME_DIR', 'runtime')):
            path = os.path.join(self.root, sub)
            os.mkdir(path, 0o700)
            env[var] = path
        env['GSETTINGS_BACKEND'] = 'memory'
        if self.settings:
            env['GSETTINGS_BACKEND'] = 'keyfile'
            keyfile = os.path.join(env['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile')
            os.makedirs(os.path.dirname(keyfile))
            with open(keyfile, 'w', encoding='utf-8') as f:
                f.write(f'[{APP_PATH}]\n')
                f.writelines(f'{key}={value}\n' for key, value in self.settings.items())
        if self.schema_dir:
            env['GSETTINGS_SCHEMA_DIR'] = self.schema_dir
        env.update(self.extra_env)
        self.log_path = os.path.join(self.root, 'mesocare.log')
        with open(self.log_path, 'wb') as log:
            self.proc = subprocess.Popen([self.exe], env=env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT)

    def check_alive(self):
        if self.proc.poll() is not None:
            tail = '\n'.join(self.log().splitlines()[-20:])
            raise AppDied(f'mesocare exited with status {self.proc.returncode}:\n{tail}')

    def find_window(self, timeout=20.0):
        """Polls the desktop for our process, then for its main window."""
        def look():
            self.check_alive()
            desktop = Atspi.get_desktop(0)
            desktop.clear_cache()
            for app in children(desktop):
                try:
                    if app.get_process_id() != self.proc.pid:
                        continue
                    for win in children(app):
                        if role(win) == R.FRAME and name(win) == 'Mesocare':
                            return app, win
                except GLib.Error:
                    pass  # the application is still registering
            return None
        self.app, self.window = wait_for('the Mesocare window on the AT-SPI desktop', look,
                                         timeout, interval=0.1)
        return self.window

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def log(self):
        try:
            with open(self.log_path, encoding='utf-8', errors='replace') as log:
                return log.read()
        except (OSError, TypeError):
            return ''

    def query(self, sql, *args):
        """Rows from the app's database, opened read-only ([] while it does not exist)."""
        if not os.path.exists(self.db_path):
            return []
        db = sqlite3.connect(f'file:{self.db_path}?mode=ro', uri=True, timeout=5)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    def count_sessions(self):
        try:
            rows = self.query('SELECT count(*) FROM sessions')
        except sqlite3.OperationalError:  # created, but not yet migrated
            return 0
        return rows[0][0] if rows else 0

    # The form, by accessible name, as a screen reader user finds it.

    def control(self, role_, name_, timeout=10.0):
        """The shown control of that role and name. Walking the tree takes a while
        over D-Bus: one walk finds them all, and they are remembered."""
        key = (role_, name_)
        obj = self._controls.get(key)
        try:
            if obj is not None and role(obj) == role_ and name(obj) == name_ and is_shown(obj):
                return obj
        except GLib.Error:
            pass

        def look():
            found = {}
            for o in walk(self.window):
                try:
                    if role(o) in INTERACTIVE_ROLES:
                        found.setdefault((role(o), name(o)), o)
                except GLib.Error:
                    pass
            self._controls = found
            return found.get(key)
        return wait_for(f'{role_.value_nick} {name_!r}', look, timeout)

    def fill_session(self, patient, areas, injections, duration):
        """Fills in the form; areas are ids ('face', ...)."""
        set_text(self.control(R.TEXT, 'Patient'), patient)
        for area in areas:
            set_checked(self.control(R.CHECK_BOX, AREAS[area]), True)
        set_value(self.control(R.SPIN_BUTTON, 'Injections'), injections)
        set_value(self.control(R.SPIN_BUTTON, 'Duration (minutes)'), duration)

    def save(self):
        activate(self.control(R.PUSH_BUTTON, 'Save'))

    def wait_for_preview(self, timeout=15.0):
        """Waits for the first page of the sheet preview; returns its picture. The
        page's alternative text may be its name or (GTK 4.8) its description."""
        pattern = re.compile(r'Page 1 of \d+$')

        def look():
            pictures = find_all(self.window, lambda o: role(o) == R.IMAGE)
            return next((p for p in pictures
                         if pattern.match(name(p)) or pattern.match(p.get_description() or '')),
                        None)
        try:
            return wait_for('the sheet preview ("Page 1 of N")', look, timeout, interval=0.1)
        except Timeout as error:
            pages = [f'{describe(c)} shown={is_visible_stack_page(p)}'
                     for p in walk(self.window, shown_only=False)
                     if 'Component' not in interfaces(p) for c in children(p)[:1]]
            pictures = [f'{describe(p)} {p.get_description()!r}'
                        for p in walk(self.window, shown_only=False) if role(p) == R.IMAGE]
            raise Timeout(f'{error}; stack pages: {"; ".join(pages)};'
                          f' all pictures: {"; ".join(pictures) or "none"}') from None
