from fitlint.entry import main

main()
