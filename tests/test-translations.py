#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app run from the build folder speaks the desktop's language, over AT-SPI.

Usage: test-translations.py PATH/TO/build/src/app/mesocare SCHEMA_DIR   (prints TAP)

build-aux/run starts the binary of the build folder as it is, with no catalogue
installed anywhere: under LANGUAGE=fr (es) its form must read in French (Spanish),
from the catalogues built in build/po/. Where the locale fr_FR.UTF-8 (es_ES.UTF-8) is
not generated, C.UTF-8 with LANGUAGE set is what gettext needs (a "C" locale would
ignore LANGUAGE).
"""

import locale
import os
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                                'build-aux'))
import mesocare_atspi as m  # noqa: E402
from mesocare_atspi import R  # noqa: E402

# The language, its locale, and controls that must read in it (role, accessible name).
CASES = [
    ('fr', 'fr_FR.UTF-8', [(R.PUSH_BUTTON, 'Enregistrer'), (R.SPIN_BUTTON, 'Injections')]),
    ('es', 'es_ES.UTF-8', [(R.PUSH_BUTTON, 'Guardar'), (R.TEXT, 'Paciente'),
                           (R.SPIN_BUTTON, 'Inyecciones')]),
]


def locale_env(language, name):
    """LANGUAGE and LANG as a desktop sets them; LC_ALL only when the locale is missing."""
    env = {'LANGUAGE': language, 'LANG': name, 'LC_ALL': ''}
    try:
        locale.setlocale(locale.LC_ALL, name)
    except locale.Error:
        env['LC_ALL'] = 'C.UTF-8'
    finally:
        locale.setlocale(locale.LC_ALL, 'C.UTF-8')
    return env


def check(exe, schema_dir, language, name, controls):
    env = locale_env(language, name)
    with m.Mesocare(exe, schema_dir, env=env) as app:
        app.find_window()
        for role, label in controls:
            try:
                app.control(role, label, timeout=20.0)
            except m.Timeout:
                seen = sorted({m.name(o) for o in m.walk(app.window)
                               if m.role(o) == R.PUSH_BUTTON and m.name(o)})
                raise AssertionError(f'no {role.value_nick} {label!r} under LANGUAGE={language}'
                                     f' (LC_ALL={env["LC_ALL"]!r}); buttons seen: {seen}'
                                     ) from None
    return f'LANGUAGE={language} LANG={name} LC_ALL={env["LC_ALL"]!r}'


def main():
    exe, schema_dir = sys.argv[1:3]
    print(f'1..{len(CASES)}', flush=True)
    failed = 0
    for number, (language, name, controls) in enumerate(CASES, 1):
        title = f'the build folder\'s app under LANGUAGE={language}'
        try:
            note = check(exe, schema_dir, language, name, controls)
        except Exception as error:  # reported, then the next case runs
            failed += 1
            print(f'not ok {number} - {title}', flush=True)
            detail = str(error) if isinstance(error, (AssertionError, m.Timeout, m.AppDied)) \
                else traceback.format_exc()
            for line in detail.splitlines():
                print(f'# {line}', flush=True)
            sys.stderr.write(f'not ok {number} - {title}\n{detail}\n')
            continue
        print(f'ok {number} - {title}', flush=True)
        print(f'# {note}', flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
