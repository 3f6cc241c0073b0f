from fitlint.cli import main

main()
