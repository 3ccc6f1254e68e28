"""The desktop entry and AppStream metainfo agree with the code: one app id, the real command."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cmplanner import APP_ID, APP_NAME
from cmplanner.i18n import DOMAIN

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def console_script() -> str:
    """The one console script that starts the app."""
    scripts = pyproject()["project"]["scripts"]
    (name,) = [name for name, target in scripts.items() if target == "cmplanner.cli.main:main"]
    return name


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys such as Name[fr] are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def test_desktop_entry_starts_the_console_script() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == console_script()
    assert entry["Icon"] == APP_ID
    assert entry["Name"] == APP_NAME
    assert entry["Name[fr]"] and entry["Comment"] and entry["Comment[fr]"]
    assert entry["Categories"].rstrip(";").split(";") == ["Office", "Calendar", "ContactManagement"]


def test_metainfo_describes_this_app() -> None:
    root = metainfo()
    project = pyproject()["project"]
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == project["license"] == "GPL-3.0-or-later"
    assert root.findtext("name") == APP_NAME
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == console_script()
    assert root.findtext("translation[@type='gettext']") == DOMAIN
    rating = root.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"
    # The version being built has its release entry.
    releases = {r.get("version"): r.get("date") for r in root.iterfind("releases/release")}
    assert project["version"] in releases
    assert releases["0.1.0"] == "2026-11-21"


def test_metainfo_is_translated_to_french() -> None:
    root = metainfo()
    summaries = {s.get(XML_LANG): s.text for s in root.iterfind("summary")}
    assert summaries.get(None) and summaries.get("fr")
    description = root.find("description")
    assert description is not None
    for tag in ("p", "ul/li"):
        english = [e for e in description.iterfind(tag) if e.get(XML_LANG) is None]
        french = [e for e in description.iterfind(tag) if e.get(XML_LANG) == "fr"]
        assert english and len(french) == len(english), tag


@pytest.mark.parametrize(
    ("tool", "args", "path"),
    [
        ("desktop-file-validate", [], DESKTOP),
        ("appstreamcli", ["validate", "--no-net"], METAINFO),
    ],
)
def test_files_pass_the_freedesktop_validators(tool: str, args: list[str], path: Path) -> None:
    exe = shutil.which(tool)
    if exe is None:
        # CI installs the validators (packaging/install-system-deps.sh): missing there is a failure.
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is not installed: packaging/install-system-deps.sh should add it")
        pytest.skip(f"{tool} is not installed")
    result = subprocess.run([exe, *args, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_icon_named_by_the_desktop_entry_is_shipped() -> None:
    icon = ROOT / "resources" / "icons" / f"{desktop_entry()['Icon']}.svg"
    assert icon.is_file()
    assert ET.parse(icon).getroot().tag.endswith("svg")


def _unresolved(library: Path) -> list[str]:
    out = subprocess.run(["ldd", str(library)], capture_output=True, text=True, timeout=60).stdout
    return sorted({line.split()[0] for line in out.splitlines() if "not found" in line})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_the_real_display_plugin_finds_its_libraries() -> None:
    """`make run` on a desktop uses Qt's xcb plugin, not offscreen: every library it links must
    resolve (packaging/install-system-deps.sh installs the missing ones), else no window shows."""
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    assert plugin.is_file()
    libraries = [plugin, *sorted((qt / "lib").glob("libQt6XcbQpa.so.*"))]
    missing = {lib.name: _unresolved(lib) for lib in libraries}
    assert all(not names for names in missing.values()), missing


def test_install_script_names_debian_packages_by_soname() -> None:
    """The fallback that maps a missing library to its package follows Debian's policy."""
    script = PACKAGING / "install-system-deps.sh"
    text = script.read_text(encoding="utf-8")
    start = text.index("package_for() {")
    function = text[start : text.index("\n}\n", start) + 3]
    cases = {
        "libxcb-icccm.so.4": "libxcb-icccm4",
        "libxcb-keysyms.so.1": "libxcb-keysyms1",
        "libX11-xcb.so.1": "libx11-xcb1",
        "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
        "libEGL.so.1": "libegl1",
    }
    for soname, package in cases.items():
        out = subprocess.run(
            ["bash", "-c", f"{function}\npackage_for {soname}"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert out.stdout.strip() == package, soname
