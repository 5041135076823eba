from readlist.cli.main import run

run()
