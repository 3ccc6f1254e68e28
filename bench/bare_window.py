"""The baseline for the startup benchmark: the least a PySide6 app does to show a window.

Prints `READY <perf_counter>` once the window is shown and events were processed once.
"""

import sys
import time

from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.resize(1200, 800)
    window.show()
    app.processEvents()
    print(f"READY {time.perf_counter()}", flush=True)
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
