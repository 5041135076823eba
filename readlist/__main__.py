from readlist.cli.main import main

main()
