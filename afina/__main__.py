from afina.cli import main

raise SystemExit(main())
