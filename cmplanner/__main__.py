from cmplanner.cli.main import main

raise SystemExit(main())
