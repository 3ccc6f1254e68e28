from cmplanner.cli import main

raise SystemExit(main())
