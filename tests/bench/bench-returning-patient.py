#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A returning patient's session, from the first letter of their name to Save: the
number of user actions (keys and clicks) it takes, over AT-SPI.

Usage: bench-returning-patient.py PATH/TO/mesocare PATH/TO/mesocare-cli SCHEMA_DIR

Prints one line: `returning-patient-session actions=N aim=15 within_aim=yes|no` (the
issue's aim: fewer than 15), and on stderr each action counted. Exits 1 when the run
cannot be done to the end (the session saved is checked against what was meant).

The clinic as it is set up: one practitioner on its list, who sits at this chair; the
patient came two weeks ago for session 3 of 6 (scalp, 110 injections, 20 minutes, hair
loss, with a gun, Dermaheal HL lot HL2291, Dr Roux). Today's session is the same, as
session 4 of 6. The script does what a user does, and counts it:

- the name: three letters typed (real key presses), then the suggestion picked (one
  click);
- then, field by field, only what differs from what the form shows: a check box, a
  choice or a button offered (a recent lot, a practitioner) is one click; a text or
  number typed is a click into the field, Ctrl+A if it holds something, and one key
  per character;
- Save: one click.
The values are set through AT-SPI (as a screen reader would); the count is of what a
user's hands would do to set them.
"""

import datetime
import json
import os
import subprocess
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                                os.pardir, 'build-aux'))
import mesocare_atspi as m  # noqa: E402
from mesocare_atspi import R, Atspi, GLib  # noqa: E402

AIM = 15
NAME = 'Marie Dupont'
TYPED = 'dup'
PRACTITIONER = 'Dr Roux'
PRODUCT, LOT = 'Dermaheal HL', 'HL2291'


class Counter:
    def __init__(self):
        self.total = 0

    def add(self, n, what):
        self.total += n
        sys.stderr.write(f'{n:3d}  {what}\n')


def cli(cli_path, db, *args):
    return subprocess.run([cli_path, '--db', db, *args], check=True, capture_output=True,
                          text=True).stdout


def last_visit(cli_path, db):
    expiry = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
    when = (datetime.datetime.now().astimezone() - datetime.timedelta(days=14)).isoformat(
        timespec='seconds')
    # A clinic in its daily work: set up, so no first start's question above the form.
    cli(cli_path, db, 'clinic', '--name', 'Clinique du Parc', '--phone', '+33 1 23 45 67 89')
    cli(cli_path, db, 'clinic', '--add-practitioner', PRACTITIONER)
    cli(cli_path, db, 'record', '--patient', NAME, '--dob', '1980-03-14', '--area', 'scalp',
        '--injections', '110', '--duration', '20', '--indication', 'hair-loss',
        '--technique', 'gun', '--product', PRODUCT, '--lot', LOT, '--expiry', expiry,
        '--practitioner', PRACTITIONER, '--session-number', '3', '--series-total', '6',
        '--date', when)


def pressed(obj):
    return bool(m.states(obj) & {Atspi.StateType.CHECKED, Atspi.StateType.PRESSED})


def find(app, role, predicate, what, timeout=10.0):
    return m.wait_for(what, lambda: m.find_first(
        app.window, lambda o: m.role(o) == role and predicate(m.name(o))), timeout)


def type_keys(count, text, what):
    for char in text:
        if not Atspi.generate_keyboard_event(ord(char), None, Atspi.KeySynthType.SYM):
            raise RuntimeError(f'could not type {char!r}')
    count.add(len(text), f'{what}: "{text}" typed')


def set_field(app, count, role, name, value):
    """A text or a number, typed over what the field holds, if it differs. A number is
    clicked and typed for real: when the click selects what the field holds, the digits
    replace it; when it does not, a user needs Ctrl+A first (counted, and the value
    set through AT-SPI)."""
    obj = app.control(role, name)
    current = m.text(obj) or ''
    if current == value:
        return
    if role == R.SPIN_BUTTON:
        m.click(obj)
        m.wait_for(f'the focus in {name}', lambda: m.focused(app.window) is not None
                   and m.text(m.focused(app.window)) is not None)
        before = m.text(m.focused(app.window)) or ''
        for char in value:
            m.press_key(ord(char))
        try:
            m.wait_for(f'{value!r} in {name}', lambda: m.text(obj) == value, 3.0)
            count.add(1 + len(value),
                      f'{name}: {before!r} -> {value!r} (click, which selects it; '
                      f'{len(value)} keys)')
            return
        except m.Timeout:
            m.set_value(obj, value)
    else:
        m.set_text(obj, value)
    count.add(1 + (1 if current else 0) + len(value),
              f'{name}: {current!r} -> {value!r} (click, {"Ctrl+A, " if current else ""}'
              f'{len(value)} keys)')


def set_pressed(app, count, role, name):
    obj = app.control(role, name)
    if pressed(obj):
        return
    if role == R.CHECK_BOX:
        m.set_checked(obj, True)
    else:
        m.activate(obj)
        m.wait_for(f'{name} pressed', lambda: pressed(obj))
    count.add(1, f'{name}: clicked')


def product_and_lot(app, count):
    """The recent lot's button fills product, lot and expiry in one click."""
    product = m.text(app.control(R.TEXT, 'Product')) or ''
    lot = m.text(app.control(R.TEXT, 'Lot')) or ''
    if (product, lot) == (PRODUCT, LOT):
        return
    button = find(app, R.PUSH_BUTTON, lambda n: LOT in n and PRODUCT in n, 'the recent lot')
    m.activate(button)
    m.wait_for('the lot filled in', lambda: m.text(app.control(R.TEXT, 'Lot')) == LOT)
    count.add(1, f'recent lot "{m.name(button)}": clicked')


def practitioner(app, count):
    if m.text(app.control(R.TEXT, 'Practitioner')) == PRACTITIONER:
        return
    m.activate(find(app, R.PUSH_BUTTON, lambda n: n == PRACTITIONER, 'the practitioner'))
    count.add(1, f'practitioner "{PRACTITIONER}": clicked')


def run(exe, cli_path, schema_dir):
    count = Counter()
    with m.Mesocare(exe, schema_dir, settings={'current-practitioner': f"'{PRACTITIONER}'"}) \
            as app:
        try:
            return act(app, count, cli_path)
        except Exception:
            tail = '\n'.join(app.log().splitlines()[-20:])
            sys.stderr.write(f"The app's log:\n{tail}\n")
            raise


def act(app, count, cli_path):
    app.find_window()
    last_visit(cli_path, app.db_path)
    # The window hears of the clinic set up (within a second or two) and takes the
    # question away (GTK 4.8 leaves a hidden widget out of the tree): the form moves up
    # then, before anyone touches it.
    m.wait_for('the clinic question gone', lambda: m.find_first(
        app.window, lambda o: m.role(o) == R.PUSH_BUTTON
        and m.name(o) == 'Set Up Clinic…') is None)

    # The form starts with the focus in Patient: the first letter goes there. If it
    # does not, a user clicks there first.
    patient = app.control(R.TEXT, 'Patient')
    # With no window manager (Xvfb), the keys go to the window under the pointer: on
    # a desktop, the window just opened has the keyboard. Not a user's action.
    rect = m.extents(app.window)
    m.move_pointer(rect.width // 2, 10)
    type_keys(count, TYPED[0], 'Patient')
    try:
        m.wait_for('the first letter in Patient', lambda: m.text(patient) == TYPED[0], 3.0)
    except m.Timeout:
        m.click(patient)
        count.add(1, 'Patient: clicked (the focus was elsewhere)')
        m.set_text(patient, '')
        type_keys(Counter(), TYPED[0], 'Patient (again, not counted twice)')
    type_keys(count, TYPED[1:], 'Patient')
    suggestion = find(app, R.LIST_ITEM, lambda n: n.startswith(NAME), 'the suggestion',
                      timeout=20.0)
    title = m.name(suggestion)
    m.click(suggestion)
    m.wait_for('the patient picked', lambda: m.text(patient) == NAME)
    count.add(1, f'suggestion "{title}": clicked')

    set_pressed(app, count, R.CHECK_BOX, 'Scalp')
    set_field(app, count, R.SPIN_BUTTON, 'Injections', '110')
    set_field(app, count, R.SPIN_BUTTON, 'Duration (minutes)', '20')
    set_pressed(app, count, R.PUSH_BUTTON, 'Hair loss')
    set_pressed(app, count, R.PUSH_BUTTON, 'With a gun')
    product_and_lot(app, count)
    practitioner(app, count)
    set_field(app, count, R.SPIN_BUTTON, 'Session number', '4')
    set_field(app, count, R.SPIN_BUTTON, 'Sessions planned', '6')

    app.save()
    count.add(1, 'Save: clicked')
    m.wait_for('the session saved', lambda: app.count_sessions() == 2, 20.0)
    saved = json.loads(cli(cli_path, app.db_path, 'list', '--format', 'json', '--limit',
                           '1'))[0]
    meant = {'patient': NAME, 'area': ['scalp'], 'injections': 110, 'duration': 20,
             'indication': 'hair-loss', 'technique': 'gun', 'product': PRODUCT,
             'lot': LOT, 'practitioner': PRACTITIONER, 'session-number': 4,
             'series-total': 6, 'dob': '1980-03-14'}
    wrong = {k: (saved.get(k), v) for k, v in meant.items() if saved.get(k) != v}
    if wrong:
        raise AssertionError(f'the session saved is not the one meant: {wrong}')
    return count.total


def main():
    exe, cli_path, schema_dir = sys.argv[1:4]
    try:
        actions = run(exe, cli_path, schema_dir)
    except (AssertionError, m.Timeout, m.AppDied, RuntimeError, GLib.Error):
        traceback.print_exc()
        return 1
    print(f'returning-patient-session actions={actions} aim={AIM} '
          f'within_aim={"yes" if actions < AIM else "no"}', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
