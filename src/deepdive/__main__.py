from deepdive.cli import main

main()
