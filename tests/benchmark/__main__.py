from tests.benchmark.run import main

main()
